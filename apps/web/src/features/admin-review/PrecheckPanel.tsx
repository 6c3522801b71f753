import type { Precheck } from '@anxin/contracts';
import { Alert, Card, Tag, Typography } from 'antd';
import { formatDateTime } from '../../lib/format';
import { pick, useReviewT } from './text';

/** ONB-3 / RIG-6: what the automated pre-check looked at, each rule's outcome and why. It never decides. */
export function PrecheckPanel({ precheck }: { precheck: Precheck | null }) {
  const rt = useReviewT();
  const flags = precheck?.rules.filter((r) => r.outcome === 'flag').length ?? 0;
  // Hints first: they are what the reviewer needs to look at.
  const rules = precheck
    ? [...precheck.rules].sort((a, b) => Number(b.outcome === 'flag') - Number(a.outcome === 'flag'))
    : [];

  return (
    <Card
      title={rt('precheck.title')}
      size="small"
      extra={
        precheck && (
          <Tag color={flags === 0 ? 'success' : 'warning'} data-testid="precheck-outcome">
            {flags === 0 ? rt('precheck.allPass') : rt('precheck.flags', { count: flags })}
          </Tag>
        )
      }
    >
      <div data-testid="precheck-panel" className="ax-review-precheck">
        <Alert type="info" showIcon title={rt('precheck.note')} className="ax-review-precheck-note" />
        {!precheck ? (
          <Typography.Text type="secondary">{rt('precheck.none')}</Typography.Text>
        ) : (
          <>
            <ul className="ax-review-rules">
              {rules.map((rule) => (
                <li
                  key={rule.rule}
                  data-testid={`precheck-rule-${rule.rule}`}
                  data-outcome={rule.outcome}
                  className={rule.outcome === 'flag' ? 'is-flag' : undefined}
                >
                  <Tag color={rule.outcome === 'pass' ? 'success' : 'warning'}>
                    {rule.outcome === 'pass' ? rt('precheck.pass') : rt('precheck.flag')}
                  </Tag>
                  <div>
                    <Typography.Text>{pick(rule.explanation)}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" className="ax-review-rule-code">
                        {rule.rule}
                        {rule.outcome === 'flag' && rule.code && rule.code !== rule.rule ? ` · ${rule.code}` : ''}
                      </Typography.Text>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
            <Typography.Text type="secondary" className="ax-review-small">
              {rt('precheck.meta', { version: precheck.ruleSetVersion, time: formatDateTime(precheck.decidedAt) })}
            </Typography.Text>
          </>
        )}
      </div>
    </Card>
  );
}
