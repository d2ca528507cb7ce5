export interface Schema {
  environment?: string;
  promoteFrom?: string;
}
