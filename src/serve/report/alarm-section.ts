/**
 * One alarm in the report: a collapsible <details> whose summary line gives
 * priority, disposition, title and hosts, and whose body tells the five
 * steps with their evidence, as `picket alarm` does on a terminal.
 */
import type { Alarm, EvidenceRef, MatchedBytes, ProductClaim } from '../../schema/alarm.js';
import { html, link, when } from './html.js';

function evidence(refs: readonly EvidenceRef[]): string {
  if (refs.length === 0) return '';
  const items = refs
    .map(
      (e) =>
        `<li><code>${html(e.kind)}</code> ${html(e.ref)}${e.sourceKind ? ` <span class="muted">(${html(e.sourceKind)})</span>` : ''}${e.note ? `: ${html(e.note)}` : ''}</li>`,
    )
    .join('');
  return `<ul class="evidence">${items}</ul>`;
}

function matched(m: MatchedBytes): string {
  const start = Math.max(0, Math.min(m.start, m.excerpt.length));
  const end = Math.max(start, Math.min(m.end, m.excerpt.length));
  return (
    `<div class="match"><code>${html(m.buffer)}</code> <pre>${html(m.excerpt.slice(0, start))}` +
    `<mark>${html(m.excerpt.slice(start, end))}</mark>${html(m.excerpt.slice(end))}</pre></div>`
  );
}

function claims(list: readonly ProductClaim[]): string {
  if (list.length === 0) return '<span class="muted">nothing known</span>';
  return list
    .map(
      (p) =>
        `${html(p.product)}${p.version ? ` ${html(p.version)}` : ''}${p.versions ? ` ${html(p.versions)}` : ''} <span class="muted">(${html(p.source)})</span>`,
    )
    .join(', ');
}

function hostPort(addr: string, port?: number): string {
  if (port === undefined) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** @example alarmSection(alarm) // '<details class="alarm" id="A…">…</details>' */
export function alarmSection(a: Alarm): string {
  const c = a.connection;
  const r = a.rule;
  const s = a.response;
  const v = a.relevance;
  const counts =
    c.packetsToServer !== undefined || c.packetsToClient !== undefined
      ? `<p>${html(c.packetsToServer ?? '?')} packets (${html(c.bytesToServer ?? '?')} B) to the server, ${html(c.packetsToClient ?? '?')} packets (${html(c.bytesToClient ?? '?')} B) back</p>`
      : '';
  const h = s.http;
  const httpLine = h
    ? `<p>${[
        h.status !== undefined ? `status <b>${html(h.status)}</b>` : '',
        h.server ? `server ${html(h.server)}` : '',
        h.contentType ? html(h.contentType) : '',
        h.bodyBytes !== undefined ? `${html(h.bodyBytes)} bytes` : '',
      ]
        .filter(Boolean)
        .join(', ')}</p>`
    : '';
  const refs = r.references.length
    ? `<ul>${r.references.map((x) => `<li>${html(x.type)} ${x.url ? link(x.url, x.value) : html(x.value)}</li>`).join('')}</ul>`
    : '';
  const actions = a.actions.length
    ? a.actions
        .map(
          (x) =>
            `<div class="action"><p><b>${html(x.kind)}</b>: ${html(x.reason)}</p>${x.snippets
              .map((sn) => `<p class="muted">${html(sn.format)}</p><pre>${html(sn.text)}</pre>`)
              .join('')}</div>`,
        )
        .join('')
    : '<p class="muted">No recommendation recorded.</p>';
  return `<details class="alarm p-${html(a.priority)}" id="${html(a.uid)}">
<summary><span class="badge p-${html(a.priority)}">${html(a.priority)}</span> <span class="disp">${html(a.disposition)}</span> ${html(a.title)} <span class="muted">${html(a.src)} → ${html(hostPort(a.dst, a.dstPort))}, ${html(a.count)} alert${a.count === 1 ? '' : 's'}</span></summary>
<p class="conclusion">${html(a.conclusion)}</p>
<p class="muted">Alarm ${html(a.uid)}, ${when(a.ts)} … ${when(a.lastSeen)}, alerts from ${html(a.alertSources.join(', ') || 'unknown')}${a.incident ? `, incident ${html(a.incident)}` : ''}</p>
<h4>1. The connection</h4>
<p>established <b>${html(c.established)}</b>, data exchanged <b>${html(c.dataExchanged)}</b>, blocked <b>${html(c.blocked)}</b></p>
${counts}<p>${html(c.summary)}</p>${evidence(c.evidence)}
<h4>2. The rule</h4>
<p>${r.sid !== undefined ? `sid ${html(r.sid)}${r.rev !== undefined ? ` rev ${html(r.rev)}` : ''}: ` : ''}${html(r.msg)} <span class="muted">(${html(r.family)}${r.classtype ? `, ${html(r.classtype)}` : ''})</span></p>
${r.explanation ? `<pre class="explain">${html(r.explanation)}</pre>` : ''}${r.matched.map(matched).join('')}${refs}${evidence(r.evidence)}
<h4>3. The response</h4>
<p>answered <b>${html(s.answered)}</b>, attempt failed <b>${html(s.attemptFailed)}</b>${s.loginSucceeded !== undefined ? `, login succeeded <b>${html(s.loginSucceeded)}</b>` : ''} <span class="muted">(read from ${html(s.basis)})</span></p>
${httpLine}<p>${html(s.meaning)}</p>${evidence(s.evidence)}
<h4>4. Relevance</h4>
<p>applicable <b>${html(v.applicable)}</b></p>
<p>The rule targets: ${claims(v.targets)}</p><p>The target runs: ${claims(v.asset)}</p>
<p>${html(v.reason)}</p>${evidence(v.evidence)}
<h4>5. What to do</h4>
${actions}
</details>`;
}
