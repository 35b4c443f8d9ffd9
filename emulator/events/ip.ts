/**
 * IP addresses and CIDR blocks as event patterns see them (the `cidr` filter, and plain string
 * values that look like an IP address, which event-ruler compares as addresses).
 *
 * The rules and messages are event-ruler's: a candidate must look like an address
 * (`1.2.3.4`, or hex digits and colons) before it is parsed; a block is `address/bits` with
 * at most 31 bits for IPv4 and 127 for IPv6.
 */
export interface IpRange {
  readonly min: Uint8Array;
  readonly max: Uint8Array;
}

/** The address's bytes (4 or 16), or undefined when `text` is not an address. */
export function parseIp(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

/** The range of a `cidr` filter; throws an Error with event-ruler's message when malformed. */
export function parseCidr(cidr: string): IpRange {
  const parts = javaSplit(cidr, '/');
  if (parts.length !== 2) throw new Error("Malformed CIDR, one '/' required");
  // Java's Integer.parseInt: an optional sign, digits, within 32 bits.
  if (!/^[+-]?\d+$/.test(parts[1]) || Math.abs(Number(parts[1])) > 2 ** 31)
    throw new Error('Malformed CIDR, mask bits must be an integer');
  const bits = Number(parts[1]);
  if (bits < 0) throw new Error('Malformed CIDR, mask bits must not be negative');
  const base = addressOrThrow(parts[0]);
  if (base.length === 4 && bits > 31) throw new Error('IPv4 mask bits must be < 32');
  if (base.length === 16 && bits > 127) throw new Error('IPv6 mask bits must be < 128');
  const min = new Uint8Array(base.length);
  const max = new Uint8Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const fixed = Math.max(0, Math.min(8, bits - i * 8));
    const mask = fixed === 0 ? 0 : (0xff << (8 - fixed)) & 0xff;
    min[i] = base[i] & mask;
    max[i] = (base[i] & mask) | (~mask & 0xff);
  }
  return { min, max };
}

/** A range holding exactly one address: how event-ruler stores a pattern string like "10.0.0.1". */
export function singleAddress(bytes: Uint8Array): IpRange {
  return { min: bytes, max: bytes };
}

export function inRange(address: Uint8Array, range: IpRange): boolean {
  if (address.length !== range.min.length) return false;
  return compare(address, range.min) >= 0 && compare(address, range.max) <= 0;
}

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

// event-ruler tells "not shaped like an address" (Nonstandard) from "shaped like one but not
// one" (Invalid), because Java's InetAddress would otherwise try a DNS lookup.
function addressOrThrow(text: string): Uint8Array {
  const shaped = IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
  if (!shaped) throw new Error(`Nonstandard IP address: ${text}`);
  const bytes = parseIp(text);
  if (!bytes) throw new Error(`Invalid IP address: ${text}`);
  return bytes;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.').map(Number);
  if (parts.some((part) => part > 255)) return undefined;
  return Uint8Array.from(parts);
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...head, ...tail];
  if (all.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  if (halves.length === 1 ? all.length !== 8 : all.length > 7) return undefined;
  const words = [...head, ...Array<string>(8 - all.length).fill('0'), ...tail].map((group) =>
    parseInt(group, 16),
  );
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  // Java hands back an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return bytes.slice(12);
  return bytes;
}

// Java's String.split drops trailing empty strings: "10.0.0.0/" splits into one part.
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
