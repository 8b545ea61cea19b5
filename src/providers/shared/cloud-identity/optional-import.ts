import { GatewayError } from '../../../core/errors.js';

/**
 * Loads an optional cloud SDK only when a provider needs it. A missing package becomes an error that names it, so
 * the fix (`npm install <package>`) is in the message.
 */
export async function importOptional<T>(packageName: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new GatewayError('internal_error', `${purpose} needs the package "${packageName}": install it with \`npm install ${packageName}\`.`, {
      cause: error,
    });
  }
}
