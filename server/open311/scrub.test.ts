/**
 * Public text loses the personal numbers and addresses typed into it, and keeps everything else
 * (house numbers, dates, case numbers, amounts).
 */
import { describe, expect, it } from 'vitest';
import { scrubPersonalData } from './scrub.js';

describe('scrubbing public text', () => {
  it('blots out mobile and landline numbers, ID numbers and e-mail addresses', () => {
    expect(scrubPersonalData('请联系13912345678或139-1234-5678，+86 139 1234 5678')).toBe('请联系***或***，***');
    expect(scrubPersonalData('物业电话 021-64001234，0755 1234 5678')).toBe('物业电话 ***，***');
    expect(scrubPersonalData('身份证 31010519800101123X、310105198001011234')).toBe('身份证 ***、***');
    expect(scrubPersonalData('mail wang.xm+311@example.com.cn please')).toBe('mail *** please');
  });

  it('keeps the numbers that are not personal', () => {
    const text = '梧桐路 88 号 3 号楼 2 单元，2026-11-22 发现，案件 310104-20261122-00042，约 1500 元';
    expect(scrubPersonalData(text)).toBe(text);
  });
});
