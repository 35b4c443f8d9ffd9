import type { HttpResponse } from '../../lib/http.ts';

/** GET /viruses: every virus on the board, newest first. */
export const main = async (): Promise<HttpResponse> => {
  // TODO 6: read every virus with a ScanCommand (TableName virusTableName()) sent through `ddb`,
  // then answer json(200, { viruses: newestFirst(Items) }).
  return { statusCode: 501, body: JSON.stringify({ message: 'GET /viruses is not written yet (TODO 6)' }) };
};
