import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigMap } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/kubernetes');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } } & Record<string, unknown>;

function readDocs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as unknown;
  });
}

/** Validates against the Kubernetes OpenAPI schema (kubernetes-models) and returns the typed object. */
function validate(doc: Manifest): void {
  const byKind: Record<string, (d: Manifest) => { validate(): void }> = {
    'v1/ConfigMap': (d) => new ConfigMap(d as never),
    'apps/v1/Deployment': (d) => new Deployment(d as never),
    'monitoring.coreos.com/v1/PodMonitor': (d) => new PodMonitor(d as never),
  };
  const make = byKind[`${doc.apiVersion}/${doc.kind}`];
  expect(make, `no schema for ${doc.apiVersion} ${doc.kind}`).toBeDefined();
  (make as (d: Manifest) => { validate(): void })(doc).validate();
}

const kustomization = readDocs(path.join(DIR, 'kustomization.yaml'))[0] as {
  resources: string[];
  images: { name: string }[];
  namespace: string;
};
const manifests = kustomization.resources.flatMap((r) => readDocs(path.join(DIR, r)) as Manifest[]);
const ofKind = <T>(kind: string) => manifests.filter((m) => m.kind === kind) as unknown as T[];

// The fields of the typed models that the checks below read.
type Container = {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom: { secretRef?: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
};
type DeploymentDoc = Manifest & {
  spec: {
    replicas: number;
    strategy: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
        volumes: { name: string; configMap?: { name: string }; emptyDir?: Record<string, unknown> }[];
      };
    };
  };
};
type ConfigMapDoc = Manifest & { data: Record<string, string> };
type PodMonitorDoc = Manifest & {
  spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: { port: string; path: string }[] };
};

describe('deploy/kubernetes', () => {
  test('the kustomization lists existing files; every manifest passes the Kubernetes schema', () => {
    for (const r of kustomization.resources) expect(existsSync(path.join(DIR, r)), r).toBe(true);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'PodMonitor/live-bridge',
      'ConfigMap/live-bridge-shop-main',
      'Deployment/live-bridge-shop-main',
    ]);
    for (const m of manifests) validate(m);
  });

  test('the schema validation does catch a broken manifest', () => {
    const broken = structuredClone(ofKind<DeploymentDoc>('Deployment')[0]) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'one';
    expect(() => validate(broken as unknown as Manifest)).toThrow(/replicas must be integer/);
  });

  const [deployment] = ofKind<DeploymentDoc>('Deployment');
  const [configMap] = ofKind<ConfigMapDoc>('ConfigMap');
  const [podMonitor] = ofKind<PodMonitorDoc>('PodMonitor');
  const pod = deployment!.spec.template.spec;
  const container = pod.containers[0]!;
  const streamYaml = configMap!.data['stream.yaml']!;
  const { config } = parseConfig(streamYaml, 'configmap:stream.yaml', {
    HW_PROJECT_ID: 'p',
    HW_ROOM_ID: 'r',
    HW_AK: 'AKEXAMPLE',
    HW_SK: 'sk-example',
  });

  test('the ConfigMap holds a valid stream config that listens where the probes look', () => {
    expect(config.stream).toBe(deployment!.metadata.labels?.['app.kubernetes.io/instance']);
    expect(config.http).toEqual({ listen: '0.0.0.0:9464', allow_remote: true });
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
  });

  test('one pod per stream, replaced (never overlapped) on rollout, given time to flush', () => {
    expect(deployment!.spec.replicas).toBe(1);
    expect(deployment!.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment!.spec.selector.matchLabels).toEqual(deployment!.spec.template.metadata.labels);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(config.reporter.shutdown_flush_ms + 5000);
  });

  test('non-root, read-only root filesystem, no privileges; state on an emptyDir at state_dir', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const mount = (name: string) => container.volumeMounts.find((m) => m.name === name);
    const volume = (name: string) => pod.volumes.find((v) => v.name === name);
    expect(mount('state')?.mountPath).toBe(config.state_dir);
    expect(container.env.find((e) => e.name === 'LIVE_BRIDGE_STATE_DIR')?.value).toBe(config.state_dir);
    expect(volume('state')?.emptyDir).toBeDefined();
    expect(mount('config')).toEqual({ name: 'config', mountPath: '/etc/live-bridge', readOnly: true });
    expect(volume('config')?.configMap?.name).toBe(configMap!.metadata.name);
    expect(container.args).toEqual(['run', '/etc/live-bridge/stream.yaml']);
    expect(container.resources.requests).toHaveProperty('memory');
    expect(container.resources.limits).toHaveProperty('memory');
  });

  test('every ${VAR} of the config comes from a Secret; the image is the one the kustomization pins', () => {
    const wanted = [...streamYaml.matchAll(/\$\{([A-Z0-9_]+)(?::-[^}]*)?\}/g)].map((m) => m[1]);
    const fromKeyRefs = container.env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
    expect(fromKeyRefs).toEqual(['HW_PROJECT_ID', 'HW_AK', 'HW_SK']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'live-bridge-shop-main' } }]);
    // What the key refs do not give (HW_ROOM_ID, DOUYIN_COOKIE) comes from the stream's own Secret.
    expect(wanted.filter((v) => !fromKeyRefs.includes(v as string))).toEqual(['DOUYIN_COOKIE', 'HW_ROOM_ID']);
    expect(kustomization.images.map((i) => i.name)).toEqual([container.image]);
  });

  test('the PodMonitor selects the pods and scrapes their metrics port', () => {
    for (const [k, v] of Object.entries(podMonitor!.spec.selector.matchLabels))
      expect(deployment!.spec.template.metadata.labels[k]).toBe(v);
    expect(podMonitor!.spec.podMetricsEndpoints.map((e) => [e.port, e.path])).toEqual([['metrics', '/metrics']]);
  });
});
