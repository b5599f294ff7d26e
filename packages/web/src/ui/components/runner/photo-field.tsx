import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useMemo, useState, type ChangeEvent } from 'react';
import { db } from '../../../data/index.ts';
import { errorMessage } from '../../format.ts';
import type { AnswerActions } from './answer-actions.ts';
import type { FieldProps } from './field-props.ts';
import { PhotoThumb, type PhotoItem } from './photo-thumb.tsx';

interface PhotoFieldProps extends FieldProps {
  surveyId: string;
  actions: AnswerActions;
}

function usePhotoItems(surveyId: string, questionId: string, ids: readonly string[]): PhotoItem[] {
  const key = ids.join(',');
  const local = useLiveQuery(
    () =>
      db.photos
        .where('surveyId')
        .equals(surveyId)
        .filter((photo) => photo.questionId === questionId)
        .sortBy('createdAt'),
    [surveyId, questionId],
  );
  const remote = useLiveQuery(() => db.media.bulkGet(key ? key.split(',') : []), [key]);

  return useMemo(() => {
    const localById = new Map((local ?? []).map((photo) => [photo.id, photo]));
    const remoteById = new Map(
      (remote ?? []).flatMap((media) => (media ? [[media.id, media]] : [])),
    );
    const items = ids.map((id) => ({ id, local: localById.get(id), remote: remoteById.get(id) }));
    // A photo being compressed is not in the answer yet, and one the server refused for good
    // has left it; both are shown so the inspector sees them and can remove them.
    const outside = (local ?? []).filter(
      (p) => (p.status === 'compressing' || p.status === 'failed') && !ids.includes(p.id),
    );
    const extra = outside.map((photo) => ({ id: photo.id, local: photo, remote: undefined }));
    return [...items, ...extra];
  }, [local, remote, ids]);
}

/** Renders a photo question: the camera input, previews with upload status, and removal. */
export function PhotoField({
  question,
  value,
  readOnly,
  labelId,
  describedBy,
  onAnswer,
  surveyId,
  actions,
}: PhotoFieldProps) {
  const ids = useMemo(() => (Array.isArray(value) ? value : []), [value]);
  const items = usePhotoItems(surveyId, question.id, ids);
  const [adding, setAdding] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const inputId = `${labelId}-photo`;

  const add = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    setProblems([]);
    for (const file of files) {
      setAdding((count) => count + 1);
      try {
        await actions.addPhoto(question.id, file);
      } catch (error) {
        setProblems((shown) => [...shown, errorMessage(error)]);
      } finally {
        setAdding((count) => count - 1);
      }
    }
  };

  const remove = useCallback(
    (item: PhotoItem) => {
      setProblems([]);
      if (item.local) {
        actions.removePhoto(item.id).catch((error: unknown) => {
          setProblems([`Could not remove the photo: ${errorMessage(error)}`]);
        });
        return;
      }

      const rest = ids.filter((id) => id !== item.id);
      onAnswer(rest.length > 0 ? rest : null);
    },
    [actions, ids, onAnswer],
  );

  return (
    <div className="photos" role="group" aria-labelledby={labelId} aria-describedby={describedBy}>
      {items.length > 0 ? (
        <div className="photos__grid">
          {items.map((item, index) => (
            <PhotoThumb
              key={item.id}
              item={item}
              position={index + 1}
              readOnly={readOnly}
              onRemove={remove}
            />
          ))}
        </div>
      ) : null}
      {readOnly ? null : (
        <div className="photos__add">
          <input
            id={inputId}
            className="visually-hidden photos__input"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            data-testid="photo-input"
            onChange={(event) => void add(event)}
          />
          <label htmlFor={inputId} className="button button--secondary">
            {items.length > 0 ? 'Add more photos' : 'Take or choose photos'}
          </label>
          {adding > 0 ? <span className="muted">Adding {adding}…</span> : null}
        </div>
      )}
      {problems.map((problem) => (
        <p key={problem} className="field-error" role="alert" data-testid="photo-error">
          {problem}
        </p>
      ))}
    </div>
  );
}
