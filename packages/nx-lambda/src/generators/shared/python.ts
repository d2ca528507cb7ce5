/** Python's hard keywords: an identifier equal to one cannot be imported or defined. */
const PYTHON_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** `vectora-core` -> `vectora_core`: the package a sources layer ships under python/. */
export function pythonPackageOf(name: string): string {
  return name.replaceAll('-', '_');
}

/** One docstring sentence: ends with a full stop, and cannot end the surrounding """ string early. */
export function docstringSentence(text: string): string {
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return sentence.replaceAll('\\', '\\\\').replaceAll('"""', '\\"\\"\\"');
}
