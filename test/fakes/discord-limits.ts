/**
 * Discord's message limits, checked the way Discord reports them: a list of problems that become
 * a 400 `{ code: 50035, message: 'Invalid Form Body', errors: { embeds: { 0: { description: { _errors: [...] } } } } }`.
 */

export interface LimitProblem {
  /** Where in the payload, e.g. ['embeds', 0, 'description']. */
  path: Array<string | number>;
  code: string;
  message: string;
}

export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  actionRows: 5,
  rowComponents: 5,
  buttonLabel: 80,
  customId: 100,
  nonce: 25,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Components V2 messages (flag 1 << 15) carry no content/embeds and follow other rules: only loosely checked. */
const IS_COMPONENTS_V2 = 1 << 15;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function len(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

function maxLength(problems: LimitProblem[], path: LimitProblem['path'], value: unknown, max: number): void {
  if (typeof value === 'string' && len(value) > max) {
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

function required(problems: LimitProblem[], path: LimitProblem['path'], value: unknown): void {
  if (value === undefined || value === null || value === '') {
    problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  }
}

function maxItems(problems: LimitProblem[], path: LimitProblem['path'], value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max) {
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

/** The characters that count towards the 6,000 limit of one embed. */
export function embedLength(embed: Json): number {
  let total = len(embed.title) + len(embed.description);
  if (Array.isArray(embed.fields)) {
    for (const field of embed.fields) if (isObject(field)) total += len(field.name) + len(field.value);
  }
  if (isObject(embed.footer)) total += len(embed.footer.text);
  if (isObject(embed.author)) total += len(embed.author.name);
  return total;
}

/** Checks a message body (create, edit, interaction reply or update). */
export function validateMessage(body: unknown): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (!isObject(body)) return problems;
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  maxLength(problems, ['content'], body.content, DISCORD_LIMITS.content);
  maxLength(problems, ['nonce'], typeof body.nonce === 'number' ? String(body.nonce) : body.nonce, DISCORD_LIMITS.nonce);

  if (Array.isArray(body.embeds)) {
    maxItems(problems, ['embeds'], body.embeds, DISCORD_LIMITS.embeds);
    let total = 0;
    body.embeds.forEach((embed, i) => {
      if (!isObject(embed)) return;
      total += embedLength(embed);
      maxLength(problems, ['embeds', i, 'title'], embed.title, DISCORD_LIMITS.embedTitle);
      maxLength(problems, ['embeds', i, 'description'], embed.description, DISCORD_LIMITS.embedDescription);
      if (Array.isArray(embed.fields)) {
        maxItems(problems, ['embeds', i, 'fields'], embed.fields, DISCORD_LIMITS.embedFields);
        embed.fields.forEach((field, j) => {
          if (!isObject(field)) return;
          required(problems, ['embeds', i, 'fields', j, 'name'], field.name);
          required(problems, ['embeds', i, 'fields', j, 'value'], field.value);
          maxLength(problems, ['embeds', i, 'fields', j, 'name'], field.name, DISCORD_LIMITS.fieldName);
          maxLength(problems, ['embeds', i, 'fields', j, 'value'], field.value, DISCORD_LIMITS.fieldValue);
        });
      }
      if (isObject(embed.footer)) {
        maxLength(problems, ['embeds', i, 'footer', 'text'], embed.footer.text, DISCORD_LIMITS.footerText);
      }
      if (isObject(embed.author)) {
        maxLength(problems, ['embeds', i, 'author', 'name'], embed.author.name, DISCORD_LIMITS.authorName);
      }
    });
    if (total > DISCORD_LIMITS.embedTotal) {
      problems.push({
        path: ['embeds'],
        code: 'MAX_EMBED_SIZE_EXCEEDED',
        message: `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`,
      });
    }
  }

  if (Array.isArray(body.components) && (flags & IS_COMPONENTS_V2) === 0) {
    maxItems(problems, ['components'], body.components, DISCORD_LIMITS.actionRows);
    body.components.forEach((row, i) => {
      if (!isObject(row)) return;
      if (row.type !== 1) {
        problems.push({
          path: ['components', i, 'type'],
          code: 'UNION_TYPE_CHOICES',
          message: 'Value of field "type" must be one of (1,).',
        });
        return;
      }
      if (!Array.isArray(row.components) || row.components.length === 0) {
        problems.push({
          path: ['components', i, 'components'],
          code: 'BASE_TYPE_MIN_LENGTH',
          message: 'Must be 1 or more in length.',
        });
        return;
      }
      maxItems(problems, ['components', i, 'components'], row.components, DISCORD_LIMITS.rowComponents);
      row.components.forEach((component, j) => {
        if (!isObject(component)) return;
        const at = ['components', i, 'components', j];
        if (component.type === 2) {
          maxLength(problems, [...at, 'label'], component.label, DISCORD_LIMITS.buttonLabel);
          if (component.style === 5) required(problems, [...at, 'url'], component.url);
          else if (component.style !== 6) required(problems, [...at, 'custom_id'], component.custom_id);
        }
        maxLength(problems, [...at, 'custom_id'], component.custom_id, DISCORD_LIMITS.customId);
      });
    });
  }
  return problems;
}

/** True when a new message would carry nothing (Discord: 50006 Cannot send an empty message). */
export function isEmptyMessage(body: unknown, fileCount = 0): boolean {
  if (!isObject(body)) return fileCount === 0;
  const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
  const has = (key: string) => Array.isArray(body[key]) && (body[key] as unknown[]).length > 0;
  return !hasContent && !has('embeds') && !has('components') && !has('sticker_ids') && !has('attachments') && fileCount === 0;
}

/** Checks an autocomplete result (interaction callback type 8). */
export function validateAutocomplete(data: unknown): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (!isObject(data) || !Array.isArray(data.choices)) {
    problems.push({ path: ['choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return problems;
  }
  maxItems(problems, ['choices'], data.choices, DISCORD_LIMITS.autocompleteChoices);
  data.choices.forEach((choice, i) => {
    if (!isObject(choice)) return;
    required(problems, ['choices', i, 'name'], choice.name);
    maxLength(problems, ['choices', i, 'name'], choice.name, DISCORD_LIMITS.choiceName);
    maxLength(problems, ['choices', i, 'value'], choice.value, DISCORD_LIMITS.choiceValue);
  });
  return problems;
}

/** Discord's 400 body for a list of problems. */
export function invalidFormBody(problems: LimitProblem[], prefix: Array<string | number> = []): Json {
  const errors: Json = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of [...prefix, ...problem.path]) {
      const k = String(key);
      if (!isObject(node[k])) node[k] = {};
      node = node[k] as Json;
    }
    const list = (node._errors as unknown[] | undefined) ?? [];
    list.push({ code: problem.code, message: problem.message });
    node._errors = list;
  }
  return { message: 'Invalid Form Body', code: 50035, errors };
}
