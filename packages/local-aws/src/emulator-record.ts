import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localAwsDir } from './workspace-root';

/** What a workspace remembers of the emulator it started: enough to find it and to prove it is that one. */
export interface EmulatorRecord {
  workspace: string;
  port: number;
  pid: number;
  token: string;
  startedAt: string;
}

export function emulatorRecordPath(workspaceRoot: string): string {
  return join(localAwsDir(workspaceRoot), 'emulator.json');
}

/** The record, or undefined when there is none or it is not one (a torn or hand-edited file means: start afresh). */
export function readEmulatorRecord(workspaceRoot: string): EmulatorRecord | undefined {
  const path = emulatorRecordPath(workspaceRoot);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<EmulatorRecord>;
    const valid = typeof record.workspace === 'string' && Number.isInteger(record.port) && Number.isInteger(record.pid) && typeof record.token === 'string';
    return valid ? (record as EmulatorRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (rename), so a concurrent reader never sees half a record. */
export function writeEmulatorRecord(workspaceRoot: string, record: EmulatorRecord): void {
  const path = emulatorRecordPath(workspaceRoot);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function removeEmulatorRecord(workspaceRoot: string): void {
  rmSync(emulatorRecordPath(workspaceRoot), { force: true });
}
