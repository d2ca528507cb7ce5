export interface Schema {
  environment?: string;
  json?: boolean;
  verbose?: boolean;
}
