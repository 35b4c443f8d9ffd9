/**
 * API Gateway's WebSocket frame quota: a client's frame may carry 32 KB, and a message over it
 * must come in several frames (up to the 128 KB message quota); a larger frame closes the
 * connection with 1009
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 * `ws` limits whole messages (maxPayload) but not frames, so this reads the length of each
 * frame the client sends from the frame headers (RFC 6455, section 5.2) as the bytes arrive,
 * next to `ws`, which still does all the parsing.
 */
import type { Socket } from 'node:net';

export const MAX_FRAME_BYTES = 32 * 1024;

/**
 * Calls `tooLarge` (once) with the payload length of the first frame over MAX_FRAME_BYTES.
 * Listens before `ws` does, so the caller can close before `ws` delivers that frame's message.
 */
export function watchFrameSizes(socket: Socket, tooLarge: (bytes: number) => void): void {
  let header = Buffer.alloc(0);
  let payloadLeft = 0;
  const onData = (chunk: Buffer) => {
    let rest = chunk;
    while (rest.length > 0) {
      if (payloadLeft > 0) {
        const skipped = Math.min(payloadLeft, rest.length);
        payloadLeft -= skipped;
        rest = rest.subarray(skipped);
        continue;
      }
      header = Buffer.concat([header, rest]);
      const frame = frameHeader(header);
      if (!frame) return;
      if (frame.payloadBytes > MAX_FRAME_BYTES) {
        socket.off('data', onData);
        tooLarge(frame.payloadBytes);
        return;
      }
      rest = header.subarray(frame.headerBytes);
      header = Buffer.alloc(0);
      payloadLeft = frame.payloadBytes;
    }
  };
  socket.prependListener('data', onData);
}

/** The sizes a frame header gives, or undefined while it is not all there. */
function frameHeader(bytes: Buffer): { headerBytes: number; payloadBytes: number } | undefined {
  if (bytes.length < 2) return undefined;
  const masked = (bytes[1] & 0x80) !== 0;
  const length = bytes[1] & 0x7f;
  const extended = length === 126 ? 2 : length === 127 ? 8 : 0;
  const headerBytes = 2 + extended + (masked ? 4 : 0);
  if (bytes.length < headerBytes) return undefined;
  const payloadBytes =
    length === 126 ? bytes.readUInt16BE(2) : length === 127 ? Number(bytes.readBigUInt64BE(2)) : length;
  return { headerBytes, payloadBytes };
}
