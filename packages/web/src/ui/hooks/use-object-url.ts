import { useEffect, useRef, useState } from 'react';

/**
 * React hook: an object URL for a blob, revoked on unmount. `key` names the blob: a database
 * read returns a new Blob object for the same bytes every time, so the URL is made again only
 * when the key changes or the blob appears or disappears.
 */
export function useObjectUrl(blob: Blob | null | undefined, key: string): string | null {
  const blobRef = useRef(blob);
  const [url, setUrl] = useState<string | null>(null);
  const hasBlob = Boolean(blob);

  useEffect(() => {
    blobRef.current = blob;
  }, [blob]);

  useEffect(() => {
    const current = blobRef.current;
    if (!current) {
      setUrl(null);
      return;
    }

    const created = URL.createObjectURL(current);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [key, hasBlob]);

  return url;
}
