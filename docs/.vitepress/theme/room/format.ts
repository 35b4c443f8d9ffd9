/**
 * How the room page words time: "just now", "4 min", "1 h 05" since a moment, measured on
 * the room's clock (the view's `now`), so every laptop and a screenshot read the same.
 */
export function since(now: number, at: number | undefined): string {
  if (at === undefined) return '—';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

export function minutesSince(now: number, at: number): number {
  return Math.max(0, Math.floor((now - at) / 60_000));
}

/** `session-4` → `4`. */
export function sessionNumber(session: string): string {
  return session.replace(/^session-/, '');
}

/** The room server and token from the page's address: `?room=http://…&token=…`. */
export function roomFrom(search: string): { room?: string; token?: string } {
  const q = new URLSearchParams(search);
  const room = q.get('room') ?? undefined;
  return {
    room:
      room && /^https?:\/\/[^\s/]+$/i.test(room.replace(/\/+$/, '')) ? room.replace(/\/+$/, '') : undefined,
    token: q.get('token') ?? undefined,
  };
}
