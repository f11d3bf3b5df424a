/**
 * A report folder holds one result's files: figures an earlier grade drew and this one did not
 * (an overlay a correct file no longer has, another lab's figures) are removed; a user's own
 * files in a folder given with --report-dir are not.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeReportFolder } from '../../grader/report/folder';
import type { GradeResult } from '../../grader/result';

test('stale figures go; this result\'s figures and the user\'s own files stay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-folder-'));
  try {
    const result = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'solution', 'expected_results.json'), 'utf8')) as { result: GradeResult }).result;
    fs.mkdirSync(path.join(dir, 'figures'));
    for (const name of ['2-subplots-overlay.png', '1-relu-kink-student.png', 'my-own-plot.png', 'notes.txt']) fs.writeFileSync(path.join(dir, 'figures', name), 'old');
    const images = new Map((result.figures ?? []).flatMap((f) => [f.student, f.reference]).map((file) => [file, Buffer.from('png')] as const));
    writeReportFolder(dir, result, images);
    const left = fs.readdirSync(path.join(dir, 'figures')).sort();
    expect(left).toEqual([...images.keys()].map((f) => path.basename(f)).concat(['my-own-plot.png', 'notes.txt']).sort());
    expect(left).not.toContain('2-subplots-overlay.png');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
