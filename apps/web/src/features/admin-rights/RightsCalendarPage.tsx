import type { CalendarOverview, CalendarYearNotice } from '@anxin/contracts';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { toApiError, type ApiError } from '../../lib/api';
import { rightsAdminApi } from './api';
import { useRightsT } from './i18n';
import { formatTime, parseDateLines } from './model';

interface Values {
  year: number;
  holidays?: string;
  workdays?: string;
  source?: string;
}

/** The statutory holiday notices due dates are counted with; an operator adds each new year's without a release. */
export function RightsCalendarPage() {
  const t = useRightsT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [data, setData] = useState<CalendarOverview>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setData(await rightsAdminApi.calendar());
    } catch (err) {
      setLoadError(toApiError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const datesRule = {
    validator: (_: unknown, v: string | undefined) => {
      const parsed = parseDateLines(v);
      return 'dates' in parsed
        ? Promise.resolve()
        : Promise.reject(new Error(t('rightsAdmin.calendar.badDate', { line: parsed.line, value: parsed.value })));
    },
  };

  const submit = async (v: Values) => {
    const holidays = parseDateLines(v.holidays);
    const workdays = parseDateLines(v.workdays);
    if (!('dates' in holidays) || !('dates' in workdays)) return;
    const body: CalendarYearNotice = { year: v.year, holidays: holidays.dates, workdays: workdays.dates };
    const source = v.source?.trim();
    if (source) body.source = source;
    setBusy(true);
    setError(undefined);
    try {
      setData(await rightsAdminApi.addCalendar(body));
      void message.success(t('rightsAdmin.calendar.saved', { year: v.year }));
      form.resetFields();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/rights">← {t('rightsAdmin.detail.back')}</Link>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('rightsAdmin.calendar.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('rightsAdmin.calendar.intro')}</Typography.Paragraph>
      {loadError && (
        <Alert
          type="error"
          showIcon
          message={t('rightsAdmin.loadFailed')}
          description={loadError.message}
          action={<Button onClick={() => void load()}>{t('rightsAdmin.retry')}</Button>}
        />
      )}
      <Card title={t('rightsAdmin.calendar.years')}>
        {data && data.yearsWithData.length === 0 ? (
          <Typography.Text type="secondary">{t('rightsAdmin.calendar.noYears')}</Typography.Text>
        ) : (
          <Space wrap>
            {(data?.yearsWithData ?? []).map((y) => (
              <Tag key={y} color="green">
                {y}
              </Tag>
            ))}
          </Space>
        )}
      </Card>
      <Card title={t('rightsAdmin.calendar.notices')}>
        <Table
          rowKey={(n) => `${n.year}-${n.addedAt}`}
          loading={!data && !loadError}
          dataSource={data?.notices ?? []}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rightsAdmin.calendar.empty')} />,
          }}
          columns={[
            { key: 'year', title: t('rightsAdmin.calendar.col.year'), dataIndex: 'year' },
            { key: 'source', title: t('rightsAdmin.calendar.col.source'), render: (_, n) => n.source ?? '—' },
            { key: 'addedAt', title: t('rightsAdmin.calendar.col.addedAt'), render: (_, n) => formatTime(n.addedAt) },
          ]}
        />
      </Card>
      <Card title={t('rightsAdmin.calendar.add')}>
        <Form<Values>
          form={form}
          layout="vertical"
          data-testid="rights-calendar-form"
          style={{ maxWidth: 640 }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item
            name="year"
            label={t('rightsAdmin.calendar.year')}
            rules={[{ required: true, message: t('rightsAdmin.calendar.yearRequired') }]}
          >
            <InputNumber data-testid="rights-calendar-year" min={2000} max={2100} precision={0} />
          </Form.Item>
          <Form.Item
            name="holidays"
            label={t('rightsAdmin.calendar.holidays')}
            extra={t('rightsAdmin.calendar.perLine')}
            rules={[datesRule]}
          >
            <Input.TextArea data-testid="rights-calendar-holidays" rows={8} placeholder="2027-01-01" />
          </Form.Item>
          <Form.Item
            name="workdays"
            label={t('rightsAdmin.calendar.workdays')}
            extra={t('rightsAdmin.calendar.perLine')}
            rules={[datesRule]}
          >
            <Input.TextArea data-testid="rights-calendar-workdays" rows={4} placeholder="2027-02-07" />
          </Form.Item>
          <Form.Item name="source" label={t('rightsAdmin.calendar.source')}>
            <Input
              data-testid="rights-calendar-source"
              maxLength={300}
              placeholder={t('rightsAdmin.calendar.sourcePlaceholder')}
            />
          </Form.Item>
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error.message} />}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="rights-calendar-submit">
            {t('rightsAdmin.calendar.submit')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
