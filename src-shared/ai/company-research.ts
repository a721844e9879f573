/**
 * Company research behind one interface, so the app can use the built-in offline digest or an
 * admin-configured language model alike. Every result becomes a CompanyResearch record with its
 * provider, model, time and sources (insights.sources).
 */

export interface CompanyFacts {
  readonly company: {
    readonly name: string;
    readonly industry?: string;
    readonly type?: string;
    readonly employeeCount?: number;
    readonly foundedYear?: number;
    readonly city?: string;
    readonly country?: string;
    readonly website?: string;
    readonly description?: string;
  };
  readonly parentName?: string;
  readonly contacts: readonly { name: string; jobTitle?: string }[];
  /** Amounts already formatted in their currency. */
  readonly deals: readonly { name: string; stage: string; amount: string; closedAt?: string }[];
  readonly recentActivity: readonly { at: string; what: string }[];
  readonly socialProfiles: readonly { network: string; url?: string; followers?: number }[];
}

export interface ResearchResult {
  readonly title: string;
  readonly summary: string;
  readonly topics: string[];
  /** What the brief rests on, e.g. "CRM: 4 deals" or a URL. */
  readonly sources: string[];
  /** 0–100: how much the brief can be relied on. */
  readonly confidence: number;
  readonly model: string;
}

export interface ResearchProvider {
  readonly id: string;
  readonly label: string;
  /** Whether it needs the network (such requests queue while offline). */
  readonly online: boolean;
  research(facts: CompanyFacts, signal?: AbortSignal): Promise<ResearchResult>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The built-in provider: a readable brief of what the CRM knows, assembled on the device. */
export const offlineDigestProvider: ResearchProvider = {
  id: 'offline-digest',
  label: 'Offline digest (what the CRM knows)',
  online: false,
  async research(facts) {
    const { company } = facts;
    const profile = [
      company.industry && `${company.industry} company`,
      company.employeeCount !== undefined && `about ${company.employeeCount.toLocaleString('en')} employees`,
      company.foundedYear && `founded ${company.foundedYear}`,
      (company.city || company.country) && `based in ${[company.city, company.country].filter(Boolean).join(', ')}`,
      facts.parentName && `part of ${facts.parentName}`,
    ].filter(Boolean);
    const won = facts.deals.filter((d) => d.stage === 'closedWon');
    const open = facts.deals.filter((d) => d.stage !== 'closedWon' && d.stage !== 'closedLost');
    const lines = [
      `${company.name}${profile.length > 0 ? `: ${profile.join(', ')}.` : '.'}`,
      company.description ? company.description.trim() : '',
      facts.deals.length > 0
        ? `Deals: ${plural(facts.deals.length, 'deal')} on record, ${won.length} won, ${open.length} open${
            open.length > 0
              ? ` (${open
                  .map((d) => `${d.name}, ${d.stage}, ${d.amount}`)
                  .slice(0, 3)
                  .join('; ')})`
              : ''
          }.`
        : 'No deals yet.',
      facts.contacts.length > 0
        ? `People: ${facts.contacts
            .slice(0, 6)
            .map((c) => (c.jobTitle ? `${c.name} (${c.jobTitle})` : c.name))
            .join(', ')}${facts.contacts.length > 6 ? ` and ${facts.contacts.length - 6} more` : ''}.`
        : 'No contacts on record.',
      facts.recentActivity.length > 0
        ? `Recent activity: ${facts.recentActivity
            .slice(0, 5)
            .map((a) => `${a.at.slice(0, 10)} ${a.what}`)
            .join('; ')}.`
        : 'No recent activity.',
      facts.socialProfiles.length > 0
        ? `Online: ${facts.socialProfiles
            .map(
              (p) =>
                `${p.network}${p.followers !== undefined ? ` (${p.followers.toLocaleString('en')} followers)` : ''}`,
            )
            .join(', ')}.`
        : '',
    ].filter((l) => l !== '');
    const known = [
      company.industry,
      company.employeeCount,
      facts.deals.length,
      facts.contacts.length,
      facts.recentActivity.length,
    ];
    return {
      title: `${company.name}: account brief`,
      summary: lines.join('\n\n'),
      topics: [company.industry, company.type, open.length > 0 ? 'open pipeline' : undefined].filter(
        (t): t is string => typeof t === 'string' && t !== '',
      ),
      sources: [
        `CRM: company record`,
        `CRM: ${plural(facts.deals.length, 'deal')}`,
        `CRM: ${plural(facts.contacts.length, 'contact')}`,
        `CRM: ${facts.recentActivity.length} recent ${facts.recentActivity.length === 1 ? 'activity' : 'activities'}`,
        ...facts.socialProfiles.flatMap((p) => (p.url ? [p.url] : [])),
      ],
      confidence: Math.round((known.filter((k) => k !== undefined && k !== 0).length / known.length) * 100),
      model: 'offline-digest-1',
    };
  },
};

export class ResearchProviderError extends Error {
  override readonly name = 'ResearchProviderError';
}

export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

/** What a chat completion answered: the model that wrote it and its text. */
export interface ChatCompletion {
  readonly model: string;
  readonly content: string;
}

/** Sends chat messages to a language model, directly or through the sync server (which holds the key). */
export type CompleteChat = (
  request: { model: string; temperature: number; messages: ChatMessage[] },
  signal?: AbortSignal,
) => Promise<ChatCompletion>;

/** The instructions a brief is written under, on the device and in the server's research queue alike. */
export const RESEARCH_SYSTEM_PROMPT =
  'You write short account briefs for a B2B sales rep: who the company is, where the relationship stands, and three concrete next steps. Use only the facts given; say what is unknown.';

/** An OpenAI chat-completions answer's text, or a ResearchProviderError naming `where` (the device and the server proxy read it alike). */
export function completionOf(body: unknown, fallbackModel: string, where: string): ChatCompletion {
  const answer = body as { model?: unknown; choices?: { message?: { content?: unknown } }[] } | null;
  const text = answer?.choices?.[0]?.message?.content;
  if (typeof text !== 'string' || text.trim() === '')
    throw new ResearchProviderError(`${where} answered without a message`);
  return { model: typeof answer?.model === 'string' ? answer.model : fallbackModel, content: text.trim() };
}

/** Research by a language model: the offline digest as the prompt, the model's brief as the summary. */
export function chatResearchProvider(options: {
  readonly model: string;
  /** Where the brief came from, in its sources. */
  readonly via: string;
  readonly complete: CompleteChat;
}): ResearchProvider {
  return {
    id: 'openai-compatible',
    label: `Language model (${options.model})`,
    online: true,
    async research(facts, signal) {
      const digest = await offlineDigestProvider.research(facts);
      const answer = await options.complete(
        {
          model: options.model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: RESEARCH_SYSTEM_PROMPT },
            { role: 'user', content: digest.summary },
          ],
        },
        signal,
      );
      return {
        ...digest,
        summary: answer.content,
        sources: [...digest.sources, `${options.model} via ${options.via}`],
        confidence: Math.min(digest.confidence, 70),
        model: answer.model,
      };
    },
  };
}

export interface OpenAiCompatibleOptions {
  /** e.g. https://api.openai.com/v1 or a self-hosted server's /v1. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly fetch?: typeof fetch;
}

/** Posts to an OpenAI-compatible `/chat/completions`; the sync server's proxy uses it too. */
export async function postChatCompletion(
  options: OpenAiCompatibleOptions,
  request: Parameters<CompleteChat>[0],
  signal?: AbortSignal,
): Promise<ChatCompletion> {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(request),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw new ResearchProviderError(
      `${url} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResearchProviderError(`${url} answered ${response.status} ${response.statusText}`);
  }
  return completionOf(await response.json().catch(() => undefined), request.model, url);
}

/** An OpenAI-compatible chat-completions endpoint the device calls itself: only for endpoints without a key. */
export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): ResearchProvider {
  return chatResearchProvider({
    model: options.model,
    via: options.baseUrl,
    complete: (request, signal) => postChatCompletion(options, request, signal),
  });
}
