import { Button, Result, Space, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { ApiError } from '../../lib/api';

/**
 * A staff-console detail page before its data is there: the spinner while it loads, or the error with a way back
 * and a retry (a 404 shows as "not found").
 */
export function DetailPending({
  error,
  loading,
  reload,
  back,
  text,
}: {
  error: ApiError | undefined;
  loading: boolean;
  reload: () => unknown;
  back: ReactNode;
  text: { loading: string; loadFailed: string; retry: string };
}) {
  if (!error)
    return (
      <div className="ax-admin-loading">
        <Spin />
        <Typography.Text type="secondary">{text.loading}</Typography.Text>
      </div>
    );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {back}
      <Result
        status={error.status === 404 || error.status === 400 ? '404' : 'warning'}
        title={error.message}
        subTitle={text.loadFailed}
        extra={
          <Button type="primary" onClick={() => void reload()} loading={loading}>
            {text.retry}
          </Button>
        }
        data-testid="load-error"
      />
    </Space>
  );
}
