/**
 * Slack's Block Kit limits, reported the way the Web API does:
 * `{ ok: false, error: 'invalid_blocks', errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] }`.
 */

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  messageText: 40_000,
} as const;

export interface SlackProblem {
  /** 'invalid_blocks', 'no_text', 'msg_too_long', 'invalid_blocks_format', 'invalid_metadata_format'. */
  error: string;
  detail: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  if (isObject(value) && typeof value.text === 'string') return value.text;
  return undefined;
}

function chars(s: string): number {
  return [...s].length;
}

/** Checks a chat.postMessage / chat.update / postEphemeral / response_url payload (already JSON-decoded). */
export function validateSlackMessage(params: Json, { requireText = true }: { requireText?: boolean } = {}): SlackProblem[] {
  const problems: SlackProblem[] = [];
  const blocks = params.blocks;
  const text = typeof params.text === 'string' ? params.text : undefined;
  if (blocks !== undefined && !Array.isArray(blocks)) {
    problems.push({ error: 'invalid_blocks_format', detail: 'blocks must be an array [json-pointer:/blocks]' });
    return problems;
  }
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(params.attachments) && params.attachments.length > 0;
  if (requireText && !text && !hasBlocks && !hasAttachments) {
    problems.push({ error: 'no_text', detail: 'text, blocks or attachments is required' });
  }
  if (text !== undefined && chars(text) > SLACK_LIMITS.messageText) {
    problems.push({ error: 'msg_too_long', detail: `text must be at most ${SLACK_LIMITS.messageText} characters` });
  }
  if (params.metadata !== undefined) {
    const md = params.metadata;
    if (!isObject(md) || typeof md.event_type !== 'string' || !isObject(md.event_payload)) {
      problems.push({ error: 'invalid_metadata_format', detail: 'metadata needs event_type (string) and event_payload (object)' });
    }
  }
  if (!Array.isArray(blocks)) return problems;
  const bad = (detail: string) => problems.push({ error: 'invalid_blocks', detail });
  if (blocks.length > SLACK_LIMITS.blocks) bad(`must be less than ${SLACK_LIMITS.blocks + 1} items [json-pointer:/blocks]`);
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      bad(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string' && chars(block.block_id) > SLACK_LIMITS.blockId) {
      bad(`must be less than ${SLACK_LIMITS.blockId + 1} characters [json-pointer:${at}/block_id]`);
    }
    if (block.type === 'section') {
      const t = textOf(block.text);
      if (t === undefined && !Array.isArray(block.fields)) bad(`must provide either text or fields [json-pointer:${at}]`);
      if (t !== undefined && chars(t) > SLACK_LIMITS.sectionText) {
        bad(`must be less than ${SLACK_LIMITS.sectionText + 1} characters [json-pointer:${at}/text/text]`);
      }
      if (t !== undefined && chars(t) === 0) bad(`must be more than 0 characters [json-pointer:${at}/text/text]`);
      if (Array.isArray(block.fields)) {
        if (block.fields.length > SLACK_LIMITS.sectionFields) {
          bad(`must be less than ${SLACK_LIMITS.sectionFields + 1} items [json-pointer:${at}/fields]`);
        }
        block.fields.forEach((field, j) => {
          const ft = textOf(field);
          if (ft !== undefined && chars(ft) > SLACK_LIMITS.fieldText) {
            bad(`must be less than ${SLACK_LIMITS.fieldText + 1} characters [json-pointer:${at}/fields/${j}/text]`);
          }
        });
      }
    } else if (block.type === 'header') {
      const t = textOf(block.text);
      if (t === undefined) bad(`missing required field: text [json-pointer:${at}/text]`);
      else if (chars(t) > SLACK_LIMITS.headerText) {
        bad(`must be less than ${SLACK_LIMITS.headerText + 1} characters [json-pointer:${at}/text/text]`);
      }
    } else if (block.type === 'context') {
      if (Array.isArray(block.elements) && block.elements.length > SLACK_LIMITS.contextElements) {
        bad(`must be less than ${SLACK_LIMITS.contextElements + 1} items [json-pointer:${at}/elements]`);
      }
    } else if (block.type === 'actions') {
      if (Array.isArray(block.elements) && block.elements.length > SLACK_LIMITS.actionsElements) {
        bad(`must be less than ${SLACK_LIMITS.actionsElements + 1} items [json-pointer:${at}/elements]`);
      }
    }
  });
  return problems;
}
