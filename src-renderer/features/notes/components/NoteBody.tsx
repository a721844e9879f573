import { boldSpans, noteBlocks } from '../note-actions';

function Spans({ text }: { text: string }) {
  return (
    <>
      {boldSpans(text).map((span, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: spans of one immutable string, in order.
        span.bold ? <strong key={i}>{span.text}</strong> : <span key={i}>{span.text}</span>,
      )}
    </>
  );
}

/** A note's body as headings, lists and paragraphs: React text nodes only, never HTML. */
export function NoteBody({ body }: { body: string }) {
  const blocks = noteBlocks(body);
  return (
    <div className="note-text">
      {blocks.map((block, i) => {
        // biome-ignore-start lint/suspicious/noArrayIndexKey: blocks of one body, re-rendered whole.
        if (block.kind === 'heading')
          return (
            <h4 key={i}>
              <Spans text={block.text} />
            </h4>
          );
        if (block.kind === 'list') {
          const items = block.items.map((item, j) => (
            <li key={j}>
              <Spans text={item} />
            </li>
          ));
          return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
        }
        return (
          <p key={i}>
            <Spans text={block.text} />
          </p>
        );
        // biome-ignore-end lint/suspicious/noArrayIndexKey: blocks of one body, re-rendered whole.
      })}
    </div>
  );
}
