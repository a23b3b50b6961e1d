import type { ServerResponse } from 'node:http';
import type { ErrorCode, FloorplanError } from '../../domain/errors';

/** The plain HTTP routes' map of floorplan's errors: a status and the message as plain text. */
const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  STALE_ATTEMPT: 409,
};

export function sendError(response: ServerResponse, error: FloorplanError): void {
  sendText(response, HTTP_STATUS[error.code], error.message);
}

export function sendBadRequest(response: ServerResponse, message: string): void {
  sendText(response, 400, message);
}

function sendText(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
}
