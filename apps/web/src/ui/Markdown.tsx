import { Fragment, type ReactNode } from 'react';
import { parseBlocks, parseInline, type Inline } from './markdown';
import './markdown.css';

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={i}>{node.text}</Fragment>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children)}</em>;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'link': {
        const external = /^https?:/i.test(node.href);
        return (
          <a key={i} href={node.href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
            {renderInline(node.children)}
          </a>
        );
      }
    }
  });
}

function inline(text: string): ReactNode[] {
  return renderInline(parseInline(text));
}

/**
 * Renders policy/consent Markdown as React elements. `headingOffset` shifts heading levels so a
 * document's `#` doesn't compete with the page title.
 */
export function Markdown({
  source,
  headingOffset = 1,
  omitTitle,
}: {
  source: string;
  headingOffset?: number;
  /** Leave out a leading heading with this text (the page already shows it as its title). */
  omitTitle?: string;
}) {
  const parsed = parseBlocks(source);
  const first = parsed[0];
  const blocks =
    omitTitle !== undefined && first?.type === 'heading' && first.text.trim() === omitTitle.trim()
      ? parsed.slice(1)
      : parsed;
  return (
    <div className="anxin-markdown">
      {blocks.map((block, i) => {
        switch (block.type) {
          case 'heading': {
            const level = Math.min(6, block.level + headingOffset);
            const Tag = `h${level}` as 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
            return <Tag key={i}>{inline(block.text)}</Tag>;
          }
          case 'paragraph':
            return <p key={i}>{inline(block.text)}</p>;
          case 'quote':
            return <blockquote key={i}>{inline(block.text)}</blockquote>;
          case 'rule':
            return <hr key={i} />;
          case 'list': {
            const items = block.items.map((item, j) => <li key={j}>{inline(item)}</li>);
            return block.ordered ? (
              <ol key={i} start={block.start}>
                {items}
              </ol>
            ) : (
              <ul key={i}>{items}</ul>
            );
          }
          case 'table':
            return (
              <div key={i} className="anxin-markdown-table">
                <table>
                  <thead>
                    <tr>
                      {block.header.map((cell, j) => (
                        <th key={j}>{inline(cell)}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {block.rows.map((row, r) => (
                      <tr key={r}>
                        {row.map((cell, j) => (
                          <td key={j}>{inline(cell)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
        }
      })}
    </div>
  );
}
