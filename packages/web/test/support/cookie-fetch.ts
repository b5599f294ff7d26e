import type { FetchFunction } from '../../src/data/api.ts';

// Node's fetch keeps no cookies, while the app relies on the browser keeping the httpOnly
// refresh cookie. This fetch keeps a jar per device, honouring Path and expiry, which is all
// the refresh cookie uses.

interface StoredCookie {
  readonly value: string;
  readonly path: string;
}

export function createCookieFetch(): FetchFunction & { jar: Map<string, StoredCookie> } {
  const jar = new Map<string, StoredCookie>();
  const cookieFetch = async (input: string, init: RequestInit = {}) => {
    const url = new URL(input);
    const cookies = [...jar]
      .filter(([, cookie]) => url.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    const headers = new Headers(init.headers);
    if (cookies.length > 0) headers.set('cookie', cookies.join('; '));

    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) storeCookie(jar, line);
    return response;
  };
  return Object.assign(cookieFetch, { jar });
}

function storeCookie(jar: Map<string, StoredCookie>, line: string): void {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  const name = pair.slice(0, separator);
  const value = pair.slice(separator + 1);
  let path = '/';
  let expired = value === '';
  for (const attribute of attributes) {
    const [key = '', attributeValue = ''] = attribute.split('=');
    if (key.toLowerCase() === 'path') path = attributeValue;
    if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
    if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
  }

  if (expired) jar.delete(name);
  else jar.set(name, { value, path });
}
