import { useState } from 'react';
import { useDirectoryT } from './i18n';

/** The doctor's public photo, or the first character of the name when there is none (or it fails to load). */
export function DoctorAvatar({ name, url, size = 56 }: { name: string; url: string | null; size?: number }) {
  const t = useDirectoryT();
  const [broken, setBroken] = useState(false);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.42) };
  if (url && !broken) {
    return (
      <img
        className="ax-dir-avatar"
        src={url}
        alt={t('directory.avatarAlt', { name })}
        style={style}
        loading="lazy"
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span className="ax-dir-avatar ax-dir-avatar-initial" style={style} aria-hidden="true">
      {[...name][0] ?? '?'}
    </span>
  );
}
