import { Empty, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';

/**
 * A staff-console work queue: each row opens its item (click, Enter or Space), an empty queue says what it means,
 * 20 rows a page. Test ids follow `testId`: `<testId>-table`, `<testId>-row`, `<testId>-empty`.
 */
export function QueueTable<T extends { id: string }>({
  testId,
  items,
  loading,
  empty,
  onOpen,
  rowData,
  columns,
}: {
  testId: string;
  items: readonly T[];
  loading: boolean;
  empty: { title: string; hint: string };
  onOpen: (id: string) => void;
  /** Extra `data-*` attributes of a row. */
  rowData: (item: T) => Record<`data-${string}`, string>;
  columns: TableColumnsType<T>;
}) {
  return (
    <div data-testid={`${testId}-table`}>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items as T[]}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <Space orientation="vertical" size={2}>
                  <Typography.Text strong data-testid={`${testId}-empty`}>
                    {empty.title}
                  </Typography.Text>
                  <Typography.Text type="secondary">{empty.hint}</Typography.Text>
                </Space>
              }
            />
          ),
        }}
        rowClassName={`ax-${testId}-row`}
        onRow={(item) =>
          ({
            'data-testid': `${testId}-row`,
            ...rowData(item),
            tabIndex: 0,
            role: 'link',
            onClick: () => onOpen(item.id),
            onKeyDown: (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onOpen(item.id);
              }
            },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={columns}
      />
    </div>
  );
}
