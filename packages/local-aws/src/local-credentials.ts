/**
 * SDK client settings for the emulator: path-style S3 (no bucket DNS on loopback) and dummy
 * credentials given to these clients only, never exported to the environment, so a real profile
 * in the shell is neither used against moto nor overwritten.
 */
export function localAwsClientConfig(endpoint: string, region = 'us-east-1') {
  return {
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}
