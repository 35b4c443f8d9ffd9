import type { HttpResponse } from '../../lib/http.ts';

/** POST /viruses: a new virus appears on the board. */
export const main = async (): Promise<HttpResponse> => {
  // TODO 7: make a newVirus(), write it with a PutCommand (as createVirus does), then answer json(201, virus).
  return { statusCode: 501, body: JSON.stringify({ message: 'POST /viruses is not written yet (TODO 7)' }) };
};
