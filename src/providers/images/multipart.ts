import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../core/errors.js';

export interface MultipartForm {
  /** The Content-Type header, boundary included. */
  contentType: string;
  body: string;
}

function fieldName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Encodes text fields as multipart/form-data (https://www.rfc-editor.org/rfc/rfc7578). Text only: the body is a
 * string, sent as UTF-8, which is all text-to-image endpoints need.
 */
export function buildMultipartForm(fields: ReadonlyArray<readonly [string, string]>, boundary = `switchyard-${randomBytes(12).toString('hex')}`): MultipartForm {
  const delimiter = `--${boundary}`;
  let body = '';
  for (const [name, value] of fields) {
    if (value.includes(delimiter)) throw new GatewayError('internal_error', 'A multipart field contains the form boundary.');
    body += `${delimiter}\r\ncontent-disposition: form-data; name="${fieldName(name)}"\r\n\r\n${value}\r\n`;
  }
  body += `${delimiter}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
