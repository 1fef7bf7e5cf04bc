/** ChangeNotifier topics; the key is an API key id, or a tenant id for connections (`*`: everything). */
export const API_KEY_CHANGES = 'api-key';
export const CONNECTION_CHANGES = 'connection';
/** Key: a webhook source id (rotated or deleted). */
export const WEBHOOK_SOURCE_CHANGES = 'webhook-source';
