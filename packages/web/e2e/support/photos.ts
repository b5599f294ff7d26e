import exifr from 'exifr';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Real camera photos with their EXIF; their sources and licences are in ATTRIBUTION.md there. */
export const PHOTO_DIR = fileURLToPath(
  new URL('../../../server/fixtures/photos/', import.meta.url),
);

/** JPEGs of fire-protection equipment and one 12-megapixel phone photo with GPS. */
export const PHOTOS = {
  sprinkler: 'fire_sprinkler_head_closeup.jpg',
  extinguisher: 'fire_extinguisher_cabinet_fire_warden_box.jpg',
  alarmPanel: 'alarm_panel_open_exposed_wiring.jpg',
  /** 4032x3024, 3.3 MB, EXIF orientation 6 and GPS. */
  electricalPanelLarge: 'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg',
  /** 4608x3456, 2.8 MB. */
  stoneWallLarge: 'stone_wall_joint_stain_kodak_4608x3456.jpg',
} as const;

export function photoPath(fileName: string): string {
  return `${PHOTO_DIR}${fileName}`;
}

/**
 * Reads EXIF DateTimeOriginal of a fixture as the server reports it: `YYYY-MM-DDTHH:MM:SS`, local
 * time of the camera, without sub-seconds or zone.
 */
export async function readCaptureTime(fileName: string): Promise<string> {
  const tags = (await exifr.parse(await readFile(photoPath(fileName)), {
    pick: ['DateTimeOriginal'],
    reviveValues: false,
  })) as { DateTimeOriginal?: string } | undefined;
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(tags?.DateTimeOriginal ?? '');
  if (!match) throw new Error(`${fileName} has no EXIF DateTimeOriginal`);

  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}`;
}
