import type * as Iam from '@aws-sdk/client-iam';
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Esbuild from 'esbuild';
import type * as Execa from 'execa';
import { lazy } from './lazy';

/*
 * Modules most tasks never use, loaded on first use. A deploy task that finds nothing to change runs no
 * process and bundles nothing, and in a batch of tasks (one process) every module loaded at start-up
 * sits on the run's critical path: execa alone weighs more than the Lambda client.
 */
const execaModule = lazy(() => require('execa') as typeof Execa);
const esbuildModule = lazy(() => require('esbuild') as typeof Esbuild);
const iamModule = lazy(() => require('@aws-sdk/client-iam') as typeof Iam);
const lambdaModule = lazy(() => require('@aws-sdk/client-lambda') as typeof Lambda);
const s3Module = lazy(() => require('@aws-sdk/client-s3') as typeof S3);

/** execa's `execa`, loaded on its first call. */
export const execa = ((...args: unknown[]) => (execaModule().execa as (...a: unknown[]) => unknown)(...args)) as typeof Execa.execa;

/** esbuild, loaded on first use. */
export const esbuild = (): typeof Esbuild => esbuildModule();

/** The IAM client's module: only the emulator's bootstrap ever calls IAM. */
export const iamSdk = (): typeof Iam => iamModule();

/**
 * The Lambda and S3 clients' modules, a quarter second to load: the install, build and package tasks
 * (a process each) never call AWS, and a no-op deploy never touches S3.
 */
export const lambdaSdk = (): typeof Lambda => lambdaModule();
export const s3Sdk = (): typeof S3 => s3Module();
