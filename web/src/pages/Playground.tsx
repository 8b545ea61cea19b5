import { useRef, useState, type FormEvent } from 'react';
import { api, authHeaders, errorOf } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { Figure } from '../components/Figure';
import { PageTitle } from '../components/PageTitle';
import { ms, usd } from '../format';
import { sseData } from '../sse';
import type { RequestDetail } from '../types';
import { useApi } from '../useApi';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

interface Answer {
  requestId: string | null;
  model: string | null;
  servedBy: string | null;
  firstTokenMs: number | null;
  totalMs: number | null;
  costUsd: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

interface Chunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null } }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

export function PlaygroundPage() {
  const models = useApi<{ data: Array<{ id: string; owned_by: string }> }>('/v1/models');
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [streaming, setStreaming] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const chosen = model || models.data?.data[0]?.id || '';

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!prompt.trim() || !chosen) return;
    const history: Turn[] = [...turns, { role: 'user', content: prompt }];
    setTurns(history);
    setPrompt('');
    setStreaming('');
    setError(null);
    setBusy(true);
    const controller = new AbortController();
    abort.current = controller;
    const started = performance.now();
    const result: Answer = { requestId: null, model: null, servedBy: null, firstTokenMs: null, totalMs: null, costUsd: null, inputTokens: null, outputTokens: null };
    setAnswer(result);
    let text = '';
    try {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { ...authHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ model: chosen, messages: history, stream: true, stream_options: { include_usage: true } }),
        signal: controller.signal,
      });
      result.requestId = response.headers.get('x-request-id');
      if (!response.ok || !response.body) throw await errorOf(response);
      for await (const data of sseData(response.body)) {
        if (data === '[DONE]') break;
        const chunk = JSON.parse(data) as Chunk;
        if (chunk.model) result.model = chunk.model;
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          if (result.firstTokenMs === null) result.firstTokenMs = performance.now() - started;
          text += delta;
          setStreaming(text);
        }
        if (chunk.usage) {
          result.inputTokens = chunk.usage.prompt_tokens;
          result.outputTokens = chunk.usage.completion_tokens;
        }
      }
      result.totalMs = performance.now() - started;
      setTurns([...history, { role: 'assistant', content: text }]);
      setStreaming('');
      setAnswer({ ...result });
      // The ledger record carries what the answer cost and which provider served it.
      if (result.requestId) {
        const record = await api<RequestDetail>(`/admin/requests/${encodeURIComponent(result.requestId)}`);
        setAnswer({ ...result, costUsd: record.costUsd, servedBy: record.provider ? `${record.provider}/${record.upstreamModel}` : record.cacheHit ? 'cache' : null });
      }
    } catch (caught) {
      if (!controller.signal.aborted) setError(caught);
      if (text) setTurns([...history, { role: 'assistant', content: text }]);
      setStreaming('');
    } finally {
      setBusy(false);
      abort.current = null;
    }
  }

  return (
    <section>
      <PageTitle>Playground</PageTitle>
      <ErrorNote error={models.error} />
      <div className="chat" aria-live="polite" aria-label="Conversation" role="log">
        {turns.map((turn, index) => (
          <div key={index} className={`turn ${turn.role}`}>
            <span className="who-said">{turn.role === 'user' ? 'You' : 'Model'}</span>
            <p>{turn.content}</p>
          </div>
        ))}
        {streaming ? (
          <div className="turn assistant streaming">
            <span className="who-said">Model</span>
            <p>{streaming}</p>
          </div>
        ) : null}
      </div>
      {answer ? (
        <dl className="figures" aria-label="Last answer">
          <Figure id="answerModel" label="Model" value={answer.model ?? '…'} />
          <Figure id="answerServedBy" label="Served by" value={answer.servedBy ?? '…'} />
          <Figure id="answerFirstToken" label="First token" value={ms(answer.firstTokenMs)} />
          <Figure id="answerLatency" label="Latency" value={ms(answer.totalMs)} />
          <Figure id="answerCost" label="Cost" value={answer.costUsd === null ? '…' : usd(answer.costUsd)} raw={answer.costUsd} />
          <Figure label="Tokens in / out" value={answer.inputTokens === null ? '…' : `${answer.inputTokens} / ${answer.outputTokens}`} />
        </dl>
      ) : null}
      <ErrorNote error={error} />
      <form className="composer" onSubmit={send}>
        <label className="field" htmlFor="playground-model">
          Model or route
          <select id="playground-model" value={chosen} onChange={(event) => setModel(event.target.value)}>
            {(models.data?.data ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.id} {item.owned_by === 'switchyard-route' ? '(route)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow" htmlFor="playground-prompt">
          Message
          <textarea id="playground-prompt" rows={3} value={prompt} onChange={(event) => setPrompt(event.target.value)} onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
          }} />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || !prompt.trim() || !chosen}>
            {busy ? 'Answering…' : 'Send'}
          </button>
          {busy ? (
            <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : null}
          <button type="button" className="secondary" onClick={() => { setTurns([]); setAnswer(null); }} disabled={busy}>
            New chat
          </button>
        </div>
      </form>
    </section>
  );
}
