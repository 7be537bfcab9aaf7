import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data at rest: e-mails are stored AES-256-GCM encrypted, and found again through a
 * keyed HMAC "blind index", so a leaked database shows neither addresses nor a way to test a
 * guess without the key. Both keys derive from one master key (DATA_ENCRYPTION_KEY) via HKDF.
 */
export interface EmailVault {
  index(normalizedEmail: string): string;
  encrypt(email: string): string;
  decrypt(sealed: string): string;
}

export function createEmailVault(masterKey: string): EmailVault {
  const master = Buffer.from(masterKey, 'utf8');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), purpose, 32));
  const encryptionKey = derive('email-encryption-v1');
  const indexKey = derive('email-index-v1');
  return {
    index: (email) => createHmac('sha256', indexKey).update(email).digest('base64url'),
    encrypt(email) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(email, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unknown e-mail ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
