// Rendering a plan: Terraform-like text (colour only when asked), JSON for machines, Markdown for a
// PR comment. Secret values never reach here (the planner redacts them); these only format.
import { createColors } from 'picocolors';
import type { JsonValue } from '../../core/types.ts';
import { preview } from '../json.ts';
import type { FieldChange, Plan, PlanAction, PlanChange, PlanWarning } from '../types.ts';

export type PlanFormat = 'text' | 'json' | 'markdown';

export interface RenderOptions {
  color?: boolean;
  /** List unchanged objects too (text/markdown); default false (they are counted). */
  showNoops?: boolean;
}

export const SYMBOL: Record<PlanAction, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: ' ' };

export function renderPlan(plan: Plan, format: PlanFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(plan, options);
    default:
      return renderText(plan, options);
  }
}

/** Warnings about changes that take capacity away at apply time: shown at the top of the text and Markdown plans too. */
export const DANGEROUS_WARNINGS: ReadonlySet<string> = new Set(['replicas-scale-down']);

function dangers(plan: Plan): { change: PlanChange; warning: PlanWarning }[] {
  return plan.changes.flatMap((change) => change.warnings.filter((w) => DANGEROUS_WARNINGS.has(w.rule)).map((warning) => ({ change, warning })));
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.create + s.update + s.replace + s.delete === 0) return 'No changes. Live state matches the repo.';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`;
}

export function describeObject(c: PlanChange): string {
  return `${c.object.kind} ${c.object.namespace ? `${c.object.namespace}/` : ''}${c.object.name}`;
}

function value(v: JsonValue | undefined): string {
  return preview(v, 100);
}

/** One diff line per field change, without colour: `~ path: before → after`. */
export function changeLine(f: FieldChange, forcing: boolean): { sign: '+' | '-' | '~'; text: string } {
  const suffix = forcing ? '   # forces replacement' : '';
  if (f.op === 'reorder') {
    const before = Array.isArray(f.before) ? f.before.join(', ') : '';
    const after = Array.isArray(f.after) ? f.after.join(', ') : '';
    return { sign: '~', text: `${f.path}: order ${before} → ${after} (order only)${suffix}` };
  }
  if (f.sensitive) {
    const what = f.op === 'add' ? 'added' : f.op === 'remove' ? 'removed' : 'changed';
    const path = f.path === '' ? '(object)' : f.path;
    return { sign: f.op === 'add' ? '+' : f.op === 'remove' ? '-' : '~', text: `${path}: (sensitive value ${what})${suffix}` };
  }
  const note = f.note ? `   # ${f.note}` : '';
  if (f.op === 'add') return { sign: '+', text: `${f.path}: ${value(f.after)}${suffix}${note}` };
  if (f.op === 'remove') return { sign: '-', text: `${f.path}: ${value(f.before)}${suffix}${note}` };
  return { sign: '~', text: `${f.path}: ${value(f.before)} → ${value(f.after)}${suffix}${note}` };
}

function fieldList(paths: string[], max = 5): string {
  return paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;
}

/** What admission did in the server's dry-run of this object, as comment lines (PlanChange.admission). */
export function admissionLines(c: PlanChange): string[] {
  const a = c.admission;
  if (!a) return [];
  const out: string[] = [];
  if (a.mutated.length > 0) {
    if (!a.included) out.push(`not shown: ${a.mutated.length} field(s) that admission changed and no field manager owns: ${fieldList(a.mutated)} (--include-webhook-mutations shows them)`);
    else if (c.action === 'create') out.push(`admission adds ${a.mutated.length} field(s) no field manager owns: ${fieldList(a.mutated)}`);
  }
  // An update's field lines carry their own note; a create has none.
  if (c.action === 'create') for (const r of a.rewritten) out.push(`${r.path}: the repo's ${value(r.repo)} is stored as ${r.server === undefined ? '(nothing)' : value(r.server)} (admission)`);
  return out;
}

function forcingFields(c: PlanChange): string[] {
  return c.reasons.map((r) => r.split(':')[0] ?? '').filter((f) => /^[A-Za-z]/.test(f) && !f.includes(' '));
}

function isForcing(f: FieldChange, fields: string[]): boolean {
  return fields.some((x) => f.path === x || f.path.startsWith(`${x}.`) || f.path.startsWith(`${x}[`));
}

function renderText(plan: Plan, options: RenderOptions): string {
  const c = createColors(options.color === true);
  const tint: Record<PlanAction, (s: string) => string> = { create: c.green, update: c.yellow, replace: c.magenta, delete: c.red, noop: c.dim };
  const signTint = { '+': c.green, '-': c.red, '~': c.yellow } as const;
  const out: string[] = [];
  out.push(c.bold(`kubeplan plan: repo vs ${plan.live.description}`));
  if (plan.cluster) out.push(c.dim(`cluster ${plan.cluster.server}${plan.cluster.context ? ` (context ${plan.cluster.context})` : ''}`));
  out.push('');
  const danger = dangers(plan);
  if (danger.length > 0) {
    for (const { change, warning } of danger) out.push(c.red(c.bold(`!! ${warning.rule}: ${describeObject(change)}${change.step > 0 ? ` (step ${change.step})` : ''}: ${warning.message}`)));
    out.push('');
  }
  let lastStep = -1;
  for (const ch of plan.changes) {
    if (ch.action === 'noop') continue;
    if (ch.step !== lastStep) {
      const phase = plan.steps.find((s) => s.step === ch.step)?.phase;
      out.push(c.bold(phase === 'prune' ? `Step ${ch.step} (prune)` : `Step ${ch.step}`));
      lastStep = ch.step;
    }
    const head = `  ${tint[ch.action](`${SYMBOL[ch.action]} ${ch.action}`)} ${describeObject(ch)}`;
    const forcing = forcingFields(ch);
    out.push(ch.action === 'replace' && forcing.length > 0 ? `${head}${c.dim(`   # forces replacement: ${forcing.join(', ')}`)}` : head);
    if (ch.source && ch.action !== 'delete') out.push(c.dim(`      from ${ch.source.file}:${ch.source.line}`));
    for (const r of ch.reasons) if (ch.action === 'delete' || !forcing.some((f) => r.startsWith(`${f}:`))) out.push(c.dim(`      # ${r}`));
    for (const r of ch.reasons) if (ch.action === 'replace' && forcing.some((f) => r.startsWith(`${f}:`))) out.push(c.dim(`      # ${r}`));
    for (const f of ch.changes) {
      const line = changeLine(f, isForcing(f, forcing));
      out.push(`      ${signTint[line.sign](line.sign)} ${line.text}`);
    }
    for (const line of admissionLines(ch)) out.push(c.dim(`      # ${line}`));
    for (const w of ch.warnings) out.push(warningLine(w, c));
  }
  const noops = plan.changes.filter((x) => x.action === 'noop');
  const noopsWithWarnings = noops.filter((x) => x.warnings.length > 0);
  if (noops.length > 0) {
    if (lastStep !== -1) out.push('');
    out.push(c.dim(`${noops.length} object(s) unchanged.`));
    for (const ch of options.showNoops ? noops : noopsWithWarnings) {
      out.push(`    ${describeObject(ch)}`);
      for (const w of ch.warnings) out.push(warningLine(w, c));
    }
  }
  if (plan.warnings.length > 0) {
    out.push('');
    out.push(c.yellow('Warnings:'));
    for (const w of plan.warnings) out.push(`  ${c.yellow('!')} ${w.rule}: ${w.message}`);
  }
  if (plan.live.notes.length > 0) {
    out.push('');
    for (const n of plan.live.notes) out.push(c.dim(`Note: ${n}`));
  }
  out.push('');
  out.push(c.bold(summaryLine(plan)));
  return `${out.join('\n')}\n`;
}

function warningLine(w: PlanWarning, c: ReturnType<typeof createColors>): string {
  if (DANGEROUS_WARNINGS.has(w.rule)) return `      ${c.red(c.bold('!!'))} ${c.red(c.bold(`${w.rule}:`))} ${c.red(w.message)}`;
  return `      ${c.yellow('!')} ${c.yellow(`${w.rule}:`)} ${w.message}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function renderMarkdown(plan: Plan, options: RenderOptions): string {
  const out: string[] = [];
  out.push('### kubeplan plan');
  out.push('');
  out.push(`**${summaryLine(plan)}** (repo vs ${mdEscape(plan.live.description)})`);
  const danger = dangers(plan);
  if (danger.length > 0) {
    out.push('');
    out.push('> [!CAUTION]');
    for (const { change, warning } of danger) out.push(`> 🛑 **${mdEscape(describeObject(change))}** (\`${warning.rule}\`): ${mdEscape(warning.message)}<br>`);
  }
  const changes = plan.changes.filter((c) => c.action !== 'noop' || options.showNoops || c.warnings.length > 0);
  if (changes.length > 0) {
    out.push('');
    out.push('| Step | Action | Object | Reasons / warnings |');
    out.push('| ---: | --- | --- | --- |');
    for (const ch of changes) {
      const notes = [...ch.reasons.map((r) => mdEscape(r)), ...admissionLines(ch).map((l) => mdEscape(l)), ...ch.warnings.map((w) => `${DANGEROUS_WARNINGS.has(w.rule) ? '🛑 **' : '⚠️ '}${mdEscape(w.message)}${DANGEROUS_WARNINGS.has(w.rule) ? '**' : ''}`)].join('<br>');
      out.push(`| ${ch.step === 0 ? '' : ch.step} | \`${SYMBOL[ch.action]}\` ${ch.action} | ${mdEscape(describeObject(ch))} | ${notes} |`);
    }
    for (const ch of changes) {
      if (ch.changes.length === 0) continue;
      const forcing = forcingFields(ch);
      out.push('');
      out.push(`<details><summary><code>${SYMBOL[ch.action]}</code> ${ch.action} ${mdEscape(describeObject(ch))} (${ch.changes.length} field${ch.changes.length === 1 ? '' : 's'})</summary>`);
      out.push('');
      out.push('```diff');
      for (const f of ch.changes) {
        const line = changeLine(f, isForcing(f, forcing));
        out.push(`${line.sign === '~' ? '!' : line.sign} ${line.text.replace(/```/g, "'''")}`);
      }
      out.push('```');
      out.push('</details>');
    }
  }
  if (plan.warnings.length > 0) {
    out.push('');
    for (const w of plan.warnings) out.push(`> ⚠️ **${w.rule}**: ${mdEscape(w.message)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `--output json` document: stable field names, one entry per object (noops included). */
export function planToJson(plan: Plan): JsonValue {
  return {
    formatVersion: 1,
    live: { kind: plan.live.kind, description: plan.live.description, notes: plan.live.notes },
    ...(plan.cluster ? { cluster: { ...plan.cluster } } : {}),
    changes: plan.changes.map((c) => ({
      action: c.action,
      object: { apiVersion: c.object.apiVersion, kind: c.object.kind, ...(c.object.namespace !== undefined ? { namespace: c.object.namespace } : {}), name: c.object.name },
      step: c.step,
      wave: c.wave,
      reasons: c.reasons,
      warnings: c.warnings.map((w) => ({ rule: w.rule, message: w.message })),
      patch: c.patch as unknown as JsonValue,
      diff: c.changes.map((f) => ({
        path: f.path,
        pointer: f.pointer,
        op: f.op,
        ...(f.before !== undefined ? { before: f.before } : {}),
        ...(f.after !== undefined ? { after: f.after } : {}),
        ...(f.sensitive ? { sensitive: true } : {}),
        ...(f.note ? { note: f.note } : {}),
      })),
      ...(c.basis ? { basis: c.basis } : {}),
      ...(c.admission
        ? {
            admission: {
              included: c.admission.included,
              mutated: [...c.admission.mutated],
              rewritten: c.admission.rewritten.map((r) => ({ path: r.path, repo: r.repo, ...(r.server !== undefined ? { server: r.server } : {}) })),
            },
          }
        : {}),
      ...(c.source ? { source: { ...c.source } } : {}),
    })),
    steps: plan.steps.map((s) => ({ step: s.step, phase: s.phase, objects: s.keys })),
    warnings: plan.warnings.map((w) => ({ rule: w.rule, message: w.message })),
    ...(plan.references ? { references: plan.references.map((r) => ({ rule: r.rule, from: r.from, target: r.target, outcome: r.outcome, repo: r.repo, detail: r.detail })) } : {}),
    summary: { ...plan.summary },
  };
}
