export interface InitGeneratorSchema {
  /** namePrefix of every AWS name (`<prefix>-<project>-<env>`) and of the local artifact bucket; default: from the workspace name. */
  prefix?: string;
}
