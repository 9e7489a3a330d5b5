/** A LIKE pattern matching `word` anywhere; `%` and `_` in it are literal characters, not wildcards. */
export const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
