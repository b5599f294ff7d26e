import { memo } from 'react';
import type { LocalMedia, LocalPhoto, PhotoStatus } from '../../../data/index.ts';
import { percent } from '../../format.ts';
import { useObjectUrl } from '../../hooks/use-object-url.ts';

/** A photo of a question: taken on this device, or known only from the server. */
export interface PhotoItem {
  id: string;
  local: LocalPhoto | undefined;
  remote: LocalMedia | undefined;
}

interface PhotoThumbProps {
  item: PhotoItem;
  /** Position in the question, for the accessible name. */
  position: number;
  readOnly: boolean;
  onRemove: (item: PhotoItem) => void;
}

function describeStatus(status: PhotoStatus, photo: LocalPhoto | undefined): string {
  switch (status) {
    case 'compressing':
      return 'Compressing…';
    case 'waiting':
      return 'Waiting to upload';
    case 'uploading':
      return `Uploading ${percent(photo?.bytesUploaded ?? 0, photo?.byteSize ?? 0)}%`;
    case 'uploaded':
      return 'Uploaded';
    case 'failed':
      return `Upload failed: ${photo?.error ?? 'no reason given'}`;
  }
}

function thumbnailUrl(media: LocalMedia | undefined): string | null {
  return media?.derivatives.find((derivative) => derivative.tier === 'thumb320')?.url ?? null;
}

/** Renders a photo preview with its upload status and a remove button. */
export const PhotoThumb = memo(function PhotoThumb({
  item,
  position,
  readOnly,
  onRemove,
}: PhotoThumbProps) {
  const objectUrl = useObjectUrl(item.local?.thumbnail, item.id);
  const source = objectUrl ?? thumbnailUrl(item.remote);
  // A photo with no row on this device was uploaded from elsewhere.
  const status: PhotoStatus = item.local?.status ?? 'uploaded';
  const uploading = status === 'uploading' ? item.local : undefined;

  return (
    <figure
      className={`photo-thumb photo-thumb--${status}`}
      data-testid="photo-thumb"
      data-photo-id={item.id}
      data-status={status}
    >
      {source ? (
        <img className="photo-thumb__image" src={source} alt={`Photo ${position}`} />
      ) : (
        <span className="photo-thumb__placeholder" aria-label={`Photo ${position}`}>
          Photo {position}
        </span>
      )}
      <figcaption className="photo-thumb__status" data-testid="photo-status">
        {describeStatus(status, item.local)}
      </figcaption>
      {uploading ? (
        <progress
          className="photo-thumb__progress"
          value={uploading.bytesUploaded}
          max={Math.max(uploading.byteSize, 1)}
          aria-label={`Upload of photo ${position}`}
        />
      ) : null}
      {readOnly ? null : (
        <button
          type="button"
          className="photo-thumb__remove"
          data-testid="photo-remove"
          aria-label={`Remove photo ${position}`}
          onClick={() => onRemove(item)}
        >
          Remove
        </button>
      )}
    </figure>
  );
});
