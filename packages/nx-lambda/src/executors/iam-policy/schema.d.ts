export interface Schema {
  environment?: string;
}
