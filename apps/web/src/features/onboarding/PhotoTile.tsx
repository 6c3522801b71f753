import type { MyApplication, PhotoSlot } from '@anxin/contracts';
import { Button, Dialog, ImageViewer, Popup, ProgressBar, SpinLoading, Toast } from 'antd-mobile';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { onboardingApi, toApiError } from '../../lib/api';
import { useOnbT } from './i18n';
import { MAX_PHOTO_BYTES, contentTypeOf, photoPurpose } from './model';

type PhotoInfo = NonNullable<MyApplication['photos'][string]>;

function CameraIcon() {
  return (
    <svg
      width="28"
      height="28"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.7}
      aria-hidden="true"
    >
      <path d="M4 8.5h3l1.6-2.5h6.8L17 8.5h3v10.5H4z" strokeLinejoin="round" />
      <circle cx="12" cy="13.5" r="3.4" />
    </svg>
  );
}

/**
 * One photo of the application (CON-3, PER-1). Before any picker opens, a sheet says what the photo is for and who
 * can see it; then "take a photo" (camera capture) or "choose from album". The file goes to the server as the raw
 * body; the thumbnail comes back from the server (never kept on the device).
 */
export function PhotoTile({
  slot,
  info,
  onChange,
  optional,
  error,
  disabled,
  hideLabel,
}: {
  slot: PhotoSlot;
  info: PhotoInfo | null | undefined;
  onChange: (app: MyApplication) => void;
  optional?: boolean;
  /** A server message about this photo (field errors). */
  error?: string | undefined;
  disabled?: boolean;
  /** When the section around it already names the photo. */
  hideLabel?: boolean;
}) {
  const t = useOnbT();
  const label = t(`onboarding.photos.slots.${slot}`);
  const purpose = t(`onboarding.photos.purposes.${photoPurpose(slot)}`);
  const [sheetOpen, setSheetOpen] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [removing, setRemoving] = useState(false);
  const [uploadError, setUploadError] = useState<string>();
  const [previewBroken, setPreviewBroken] = useState(false);
  const albumInput = useRef<HTMLInputElement>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => setPreviewBroken(false), [info?.uploadedAt]);

  const busy = progress !== null || removing;
  const has = Boolean(info);

  const pick = (input: HTMLInputElement | null) => {
    setSheetOpen(false);
    input?.click();
  };

  const upload = async (file: File) => {
    setUploadError(undefined);
    if (file.size > MAX_PHOTO_BYTES) {
      setUploadError(t('onboarding.photos.tooLarge'));
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setProgress(0);
    try {
      const reply = await onboardingApi.uploadPhoto(
        slot,
        file,
        contentTypeOf(file),
        (fraction) => setProgress(fraction),
        controller.signal,
      );
      onChange(reply);
      Toast.show({ icon: 'success', content: t('onboarding.photos.uploaded') });
    } catch (err) {
      const e = toApiError(err);
      if (e.code !== 'ABORTED') setUploadError(e.message);
    } finally {
      if (abort.current === controller) abort.current = null;
      setProgress(null);
    }
  };

  const remove = async () => {
    const ok = await Dialog.confirm({
      content: t('onboarding.photos.removeConfirm', { label }),
      confirmText: <span data-testid="dialog-confirm">{t('onboarding.photos.remove')}</span>,
      cancelText: <span data-testid="dialog-cancel">{t('onboarding.photos.cancel')}</span>,
    });
    if (!ok) return;
    setRemoving(true);
    setUploadError(undefined);
    try {
      onChange(await onboardingApi.deletePhoto(slot));
      Toast.show({ content: t('onboarding.photos.removed') });
    } catch (err) {
      setUploadError(toApiError(err).message);
    } finally {
      setRemoving(false);
    }
  };

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again must fire `change` again
    if (file) void upload(file);
  };

  const message = uploadError ?? error;
  const thumb = info ? onboardingApi.photoUrl(slot, 'thumb', info.uploadedAt) : undefined;

  return (
    <div
      className={`ax-onb-photo${message ? ' ax-onb-photo-error' : ''}`}
      data-testid={`photo-${slot}`}
      data-field={`photo:${slot}`}
      data-uploaded={has}
    >
      <div className={hideLabel ? 'ax-visually-hidden' : 'ax-onb-photo-label'}>
        {label}
        {optional && <span className="ax-onb-optional">（{t('onboarding.optional')}）</span>}
      </div>
      <div className="ax-onb-photo-frame">
        {info && thumb && !previewBroken ? (
          <button
            type="button"
            className="ax-onb-photo-thumb"
            onClick={() => ImageViewer.show({ image: onboardingApi.photoUrl(slot, 'full', info.uploadedAt) })}
            aria-label={label}
          >
            <img
              key={info.uploadedAt}
              src={thumb}
              alt={label}
              onError={() => setPreviewBroken(true)}
              data-testid={`photo-thumb-${slot}`}
            />
          </button>
        ) : info ? (
          <div className="ax-onb-photo-empty ax-muted ax-small">{t('onboarding.photos.previewFailed')}</div>
        ) : (
          <button
            type="button"
            className="ax-onb-photo-empty"
            onClick={() => setSheetOpen(true)}
            disabled={busy || disabled}
            data-testid={`photo-add-${slot}`}
          >
            <CameraIcon />
            <span>{t('onboarding.photos.upload')}</span>
          </button>
        )}
        {progress !== null && (
          <div className="ax-onb-photo-busy" role="status" aria-live="polite">
            <SpinLoading color="primary" style={{ '--size': '24px' }} />
            <span>
              {progress < 1
                ? t('onboarding.photos.uploading', { percent: Math.round(progress * 100) })
                : t('onboarding.photos.processing')}
            </span>
            <ProgressBar percent={Math.round(progress * 100)} style={{ width: '70%' }} />
          </div>
        )}
      </div>
      {has && (
        <div className="ax-onb-photo-actions">
          <Button
            size="mini"
            fill="outline"
            color="primary"
            disabled={busy || disabled}
            onClick={() => setSheetOpen(true)}
            data-testid={`photo-replace-${slot}`}
          >
            {t('onboarding.photos.replace')}
          </Button>
          <Button
            size="mini"
            fill="outline"
            color="danger"
            loading={removing}
            disabled={busy || disabled}
            onClick={() => void remove()}
            data-testid={`photo-remove-${slot}`}
          >
            {t('onboarding.photos.remove')}
          </Button>
        </div>
      )}
      {message && (
        <div className="ax-field-message ax-field-message-error" role="alert" data-testid={`photo-error-${slot}`}>
          {message}
        </div>
      )}

      {/* Always in the page, so tests and assistive tech can reach them; opened from the sheet. */}
      <input
        ref={albumInput}
        type="file"
        accept="image/*"
        className="ax-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFile}
        data-testid={`photo-input-${slot}`}
      />
      <input
        ref={cameraInput}
        type="file"
        accept="image/*"
        capture="environment"
        className="ax-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={onFile}
        data-testid={`photo-camera-${slot}`}
      />

      <Popup
        visible={sheetOpen}
        onMaskClick={() => setSheetOpen(false)}
        onClose={() => setSheetOpen(false)}
        bodyClassName="ax-onb-sheet"
        destroyOnClose
      >
        <div
          data-testid={`photo-purpose-${slot}`}
          role="dialog"
          aria-label={t('onboarding.photos.purposeTitle', { label })}
        >
          <h2 className="ax-onb-sheet-title">{t('onboarding.photos.purposeTitle', { label })}</h2>
          <p className="ax-onb-sheet-purpose">{purpose}</p>
          <p className="ax-muted ax-small">{t('onboarding.photos.locationNote')}</p>
          <p className="ax-muted ax-small">{t('onboarding.photos.formatNote')}</p>
          <div className="ax-actions">
            <Button
              block
              color="primary"
              size="large"
              onClick={() => pick(cameraInput.current)}
              data-testid="photo-choose-camera"
            >
              {t('onboarding.photos.camera')}
            </Button>
            <Button block size="large" onClick={() => pick(albumInput.current)} data-testid="photo-choose-album">
              {t('onboarding.photos.album')}
            </Button>
            <Button
              block
              fill="none"
              size="large"
              onClick={() => setSheetOpen(false)}
              data-testid="photo-choose-cancel"
            >
              {t('onboarding.photos.cancel')}
            </Button>
          </div>
        </div>
      </Popup>
    </div>
  );
}
