import type { Question } from '@avior/contract';
import type { LocalMedia } from '../../../data/index.ts';

interface DetailPhotosProps {
  media: readonly LocalMedia[];
  question: (questionId: string) => Question | undefined;
}

const STATUS_LABELS: Readonly<Record<LocalMedia['status'], string>> = {
  awaiting_upload: 'Waiting for upload',
  uploaded: 'Processing',
  processed: 'Processed',
  failed: 'Failed',
};

function derivativeUrl(media: LocalMedia, tier: string): string | undefined {
  return media.derivatives.find((derivative) => derivative.tier === tier)?.url;
}

/** Renders a survey's photos as thumbnails with status, quality notes and failure reasons. */
export function DetailPhotos({ media, question }: DetailPhotosProps) {
  return (
    <section className="panel" aria-labelledby="detail-photos-title">
      <h2 className="panel__title" id="detail-photos-title">
        Photos <span className="muted">({media.length})</span>
      </h2>
      {media.length === 0 ? <p className="muted">No photos.</p> : null}
      <ul className="photo-grid">
        {media.map((item) => (
          <DetailPhoto key={item.id} media={item} label={question(item.questionId ?? '')?.label} />
        ))}
      </ul>
    </section>
  );
}

function DetailPhoto({ media, label }: { media: LocalMedia; label: string | undefined }) {
  const thumbnail = derivativeUrl(media, 'thumb320');
  const large = derivativeUrl(media, 'w2048') ?? derivativeUrl(media, 'w1024');
  const notes = media.quality?.notes ?? [];
  const image = thumbnail ? (
    <img src={thumbnail} alt={label ?? media.fileName} loading="lazy" />
  ) : (
    <span className="photo-thumb__placeholder">{STATUS_LABELS[media.status]}</span>
  );

  return (
    <li
      className="detail-photo"
      data-testid="detail-photo"
      data-media-id={media.id}
      data-status={media.status}
    >
      {large ? (
        <a href={large} target="_blank" rel="noreferrer" aria-label={`Open ${media.fileName}`}>
          {image}
        </a>
      ) : (
        image
      )}
      <span className="detail-photo__status">{STATUS_LABELS[media.status]}</span>
      {label ? <span className="muted">{label}</span> : null}
      {notes.map((note) => (
        <span key={note} className="detail-photo__note">
          {note}
        </span>
      ))}
      {media.status === 'failed' ? (
        <span className="field-error">
          {media.failureReason ?? media.failureCode ?? 'Processing failed'}
        </span>
      ) : null}
    </li>
  );
}
