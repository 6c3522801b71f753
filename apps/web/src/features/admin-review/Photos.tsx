import type { PhotoSlot } from '@anxin/contracts';
import { Button, Modal, Typography } from 'antd';
import { useState } from 'react';
import { reviewApi } from '../../lib/api';
import { isRevealableSlot } from './model';
import { useReviewT } from './text';

/**
 * One uploaded photo. Blurred by the server (and blurred again here, in case a proxy or a bug ever serves a sharp
 * image) until a reveal grants this slot; then the original, straight from the server (`no-store`, never cached here).
 */
export function PhotoTile({
  applicationId,
  slot,
  revealed,
  onRequestFull,
}: {
  applicationId: string;
  slot: PhotoSlot;
  revealed: boolean;
  onRequestFull: (slot: PhotoSlot) => void;
}) {
  const rt = useReviewT();
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState<string>();
  const [enlarged, setEnlarged] = useState(false);

  const variant = revealed ? 'full' : 'blurred';
  const src = reviewApi.photoUrl(applicationId, slot, variant);
  const loadKey = `${src}#${attempt}`;
  const fullFailed = revealed && failed === loadKey;
  // A failed original (grant expired server side) falls back to the blurred image.
  const shownVariant = fullFailed ? 'blurred' : variant;
  const shownSrc = fullFailed ? reviewApi.photoUrl(applicationId, slot, 'blurred') : src;
  const shownKey = `${shownSrc}#${attempt}`;
  const blurredFailed = shownVariant === 'blurred' && failed === shownKey;
  const label = rt(`photoSlot.${slot}`);

  return (
    <figure className="ax-review-photo" data-slot={slot}>
      <div className={`ax-review-photo-frame${shownVariant === 'blurred' ? ' is-blurred' : ''}`}>
        {blurredFailed ? (
          <div className="ax-review-photo-failed">
            <Typography.Text type="secondary">{rt('detail.photoFailed')}</Typography.Text>
            <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
              {rt('detail.photoRetry')}
            </Button>
          </div>
        ) : (
          <img
            key={shownKey}
            src={shownSrc}
            alt={label}
            draggable={false}
            referrerPolicy="no-referrer"
            onError={() => setFailed(shownKey)}
            onClick={shownVariant === 'full' ? () => setEnlarged(true) : undefined}
            data-testid={`photo-${slot}`}
            data-variant={shownVariant}
          />
        )}
        {!blurredFailed && (
          <span className={`ax-review-photo-badge${shownVariant === 'full' ? ' is-full' : ''}`}>
            {shownVariant === 'full' ? rt('detail.photoFull') : rt('detail.photoBlurred')}
          </span>
        )}
      </div>
      <figcaption>
        <Typography.Text strong>{label}</Typography.Text>
        {shownVariant === 'full' ? (
          <Button type="link" size="small" onClick={() => setEnlarged(true)} data-testid={`photo-enlarge-${slot}`}>
            {rt('detail.photoEnlarge')}
          </Button>
        ) : isRevealableSlot(slot) ? (
          <Button type="link" size="small" onClick={() => onRequestFull(slot)} data-testid={`photo-request-${slot}`}>
            {rt('detail.photoViewFull')}
          </Button>
        ) : null}
      </figcaption>
      {fullFailed && (
        <Typography.Text type="warning" className="ax-review-photo-note">
          {rt('detail.photoFailedFull')}
        </Typography.Text>
      )}
      {!isRevealableSlot(slot) && (
        <Typography.Text type="secondary" className="ax-review-photo-note">
          {rt('detail.photoNotRevealable')}
        </Typography.Text>
      )}
      {enlarged && shownVariant === 'full' && (
        <Modal open title={label} footer={null} width={900} onCancel={() => setEnlarged(false)} destroyOnHidden>
          <div className="ax-review-photo-large">
            <img src={shownSrc} alt={label} draggable={false} referrerPolicy="no-referrer" />
          </div>
        </Modal>
      )}
    </figure>
  );
}
