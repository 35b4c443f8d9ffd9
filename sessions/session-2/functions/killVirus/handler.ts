import type { HttpEvent, HttpResponse } from '../../lib/http.ts';

/** DELETE /viruses/{id}: a player killed a virus. */
export const main = async (event: HttpEvent): Promise<HttpResponse> => {
  const id = event.pathParameters?.id;
  // TODO 8: when isVirusId(id) is false, answer errorResponse(400, '...') at once, without touching the table.
  // TODO 9: delete the virus with a DeleteCommand (Key { id }, ConditionExpression 'attribute_exists(id)') and answer
  // noContent(); when DynamoDB throws a ConditionalCheckFailedException, answer errorResponse(404, '...') instead.
  return { statusCode: 501, body: JSON.stringify({ message: `DELETE /viruses/${id} is not written yet (TODOs 8 and 9)` }) };
};
