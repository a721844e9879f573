import { useCan, useCrm } from '../../../app/crm-context';
import { redactConfig, redactUrl, saveIntegration, setIntegrationEnabled } from '../integrations.service';
import { run } from '../settings-action';
import { IntegrationServerPanel } from './IntegrationServerPanel';
import { type Row, SettingsDetail } from './SettingsDetail';
import { SettingsTable } from './SettingsTable';

const FIELDS = ['name', 'provider', 'endpointUrl', 'events', 'scopes', 'config'];

/** What the screen shows of an integration: secrets masked, in the settings and in the endpoint. */
function shown(record: Row): Row {
  return {
    ...record,
    ...(record.config !== undefined ? { config: redactConfig(record.config) } : {}),
    ...(typeof record.endpointUrl === 'string' ? { endpointUrl: redactUrl(record.endpointUrl) } : {}),
  };
}

/** Integrations: connections to mail, calendars, webhooks; enable or pause. Credentials never show. */
export function IntegrationsSection() {
  const { repos } = useCrm();
  const canUpdate = useCan('externalIntegration', 'update');
  return (
    <SettingsTable
      entity="externalIntegration"
      tab="integrations"
      columns={['name', 'provider', 'status', 'lastSyncAt']}
      intro="Connections to third-party services: webhooks (provider webhook), website lead forms (provider other, config type leadCapture). Credentials are kept on the server or in the OS keychain and never shown here."
      create={{ label: 'New integration', fields: FIELDS, save: (values) => saveIntegration(repos, undefined, values) }}
      detail={(id, close) => (
        <SettingsDetail
          entity="externalIntegration"
          id={id}
          onClose={close}
          fields={[...FIELDS.slice(1), 'status', 'lastSyncAt', 'errorMessage']}
          shown={shown}
          edit={{
            fields: FIELDS,
            initial: shown,
            save: async (integrationId, values) => {
              const current = await repos.externalIntegration.require(integrationId);
              // A masked endpoint left as it was keeps the stored one.
              const patch = { ...values };
              if (current.endpointUrl && patch.endpointUrl === redactUrl(current.endpointUrl)) delete patch.endpointUrl;
              return saveIntegration(repos, integrationId, patch);
            },
          }}
          actions={(integration) =>
            !canUpdate ? null : integration.status === 'active' ? (
              <button
                type="button"
                onClick={() => void run(() => setIntegrationEnabled(repos, id, false), 'integration paused')}
              >
                Pause
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                onClick={() => void run(() => setIntegrationEnabled(repos, id, true), 'integration enabled')}
              >
                Enable
              </button>
            )
          }
        >
          {(integration) => <IntegrationServerPanel record={integration} />}
        </SettingsDetail>
      )}
    />
  );
}
