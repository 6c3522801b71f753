import type { CrisisResource } from '@anxin/contracts';
import { useState } from 'react';
import { pickText } from '../onboarding/bundle';
import { useCrisisT } from './i18n';
import { telHref } from './model';

/** The lines as tap-to-call links: name, number, and when to call. */
export function ResourceList({ resources }: { resources: readonly CrisisResource[] }) {
  const t = useCrisisT();
  return (
    <ul className="ax-crisis-lines" data-testid="crisis-lines">
      {resources.map((r) => (
        <li key={r.id} className={`ax-crisis-line ax-crisis-line-${r.kind}`} data-resource={r.id}>
          <a
            className="ax-crisis-call"
            href={telHref(r)}
            aria-label={t('crisis.patient.call', { phone: r.phone })}
            data-testid="crisis-call"
          >
            <span className="ax-crisis-line-name">{pickText(r.name)}</span>
            <span className="ax-crisis-line-phone">{r.phone}</span>
          </a>
          {r.note && <div className="ax-crisis-line-note">{pickText(r.note)}</div>}
        </li>
      ))}
    </ul>
  );
}

/**
 * The patient's card (CON-4): always the same, whatever was or was not detected, so it never tells anyone that
 * their words were flagged. Folded to one quiet line until opened; the numbers work even offline.
 */
export function CrisisResourceCard({ resources }: { resources: readonly CrisisResource[] }) {
  const t = useCrisisT();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button
        type="button"
        className="ax-crisis-toggle"
        onClick={() => setOpen(true)}
        aria-expanded={false}
        data-testid="crisis-resources-toggle"
      >
        <span className="ax-crisis-heart" aria-hidden="true">
          ♡
        </span>
        {t('crisis.patient.toggle')}
      </button>
    );
  }
  return (
    <section className="ax-crisis-card" data-testid="crisis-resources" aria-labelledby="ax-crisis-card-title">
      <div className="ax-crisis-card-head">
        <h2 id="ax-crisis-card-title" className="ax-crisis-card-title">
          {t('crisis.patient.title')}
        </h2>
        <button
          type="button"
          className="ax-crisis-link"
          onClick={() => setOpen(false)}
          aria-expanded={true}
          data-testid="crisis-resources-hide"
        >
          {t('crisis.patient.hide')}
        </button>
      </div>
      <p className="ax-crisis-card-body">{t('crisis.patient.body')}</p>
      <ResourceList resources={resources} />
      <p className="ax-crisis-card-emergency">{t('crisis.patient.emergency')}</p>
      <p className="ax-crisis-card-stay ax-muted">{t('crisis.patient.stay')}</p>
    </section>
  );
}
