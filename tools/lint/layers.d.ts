// Types for layers.js (plain JavaScript so that eslint.config.js can load it without a build).
import type { ESLint, Rule } from 'eslint';

export declare const LAYERS: ReadonlyArray<{ name: string; paths: string[]; why: string }>;
export declare const PURE: Record<string, string[]>;
export declare const ONLY: ReadonlyArray<{ pattern: RegExp; folder: string; what: string }>;
export declare function layerOf(path: string): { rank: number; name: string } | undefined;
export declare const layersRule: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
