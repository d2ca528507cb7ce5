export interface LayerGeneratorSchema {
  /** Layer project name: the folder under layers/ and the key in VERSION. */
  name: string;
  /** A requirements.txt layer (third-party packages installed with pip) instead of Python sources. */
  requirements?: boolean;
  /** With `requirements`: sources in src/ too (a Python layer of both). */
  sources?: boolean;
  runtime?: string;
  architecture?: string;
  /** Semver of the first version, written to VERSION. Not `version`: the Nx CLI reserves --version. */
  layerVersion?: string;
  description?: string;
  /** Never set on purpose: what Nx's own --version flag leaves here when a user types `--version=1.2.0`. */
  version?: unknown;
}
