import type { TimelineEvent } from '@anxin/contracts';
import { Card, Timeline, Typography } from 'antd';
import { formatDateTime } from '../../lib/format';
import { pick, useReviewT } from './text';

const COLOR: Record<TimelineEvent['kind'], string> = {
  submitted: 'blue',
  prechecked: 'gray',
  changes_requested: 'orange',
  approved: 'green',
  rejected: 'red',
};

/** What happened to the application, oldest first, with the reviewers' reasons and messages to the doctor. */
export function ReviewTimeline({ events }: { events: TimelineEvent[] }) {
  const rt = useReviewT();
  return (
    <Card title={rt('timeline.title')} size="small">
      <div data-testid="timeline" className="ax-review-timeline">
        {events.length === 0 ? (
          <Typography.Text type="secondary">{rt('timeline.empty')}</Typography.Text>
        ) : (
          <Timeline
            items={events.map((event, index) => ({
              key: `${event.at}-${index}`,
              color: COLOR[event.kind],
              content: (
                <div data-testid="timeline-event" data-kind={event.kind}>
                  <div>
                    <Typography.Text type="secondary" className="ax-review-small">
                      {formatDateTime(event.at)}
                    </Typography.Text>
                  </div>
                  <Typography.Text strong>{rt(`timeline.kind.${event.kind}`)}</Typography.Text>
                  {event.reasonLabel && (
                    <div>
                      <Typography.Text>{rt('timeline.reason', { label: pick(event.reasonLabel) })}</Typography.Text>
                    </div>
                  )}
                  {event.reasonText && (
                    <blockquote className="ax-review-quote" aria-label={rt('timeline.message')}>
                      {event.reasonText}
                    </blockquote>
                  )}
                </div>
              ),
            }))}
          />
        )}
      </div>
    </Card>
  );
}
