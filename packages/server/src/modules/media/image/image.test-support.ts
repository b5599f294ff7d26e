import { readFileSync, readdirSync } from 'node:fs';

import type { ImageLimits } from './image.types.ts';

/** Real photos kept in the repository; ATTRIBUTION.md in that folder lists their sources. */
export const FIXTURE_DIR = new URL('../../../../fixtures/photos/', import.meta.url);

/** Limits of a typical deployment: 30 MB, 50 megapixels, a 480 px short side. */
export const TEST_LIMITS: ImageLimits = {
  maxBytes: 30_000_000,
  maxPixels: 50_000_000,
  minShortSide: 480,
};

export const PHOTOS = {
  alarmPanel: 'alarm_panel_open_exposed_wiring.jpg',
  alphaFlower: 'alpha_cutout_flower_lossy.webp',
  brickCrack: 'crack_brick_wall_vertical.png',
  churchCrack: 'crack_church_masonry_sample.jpg',
  stoneCrack: 'crack_stone_masonry_corner.png',
  pixel3Panel: 'electrical_panel_breakers_pixel3_4032x3024_orient6.jpg',
  extinguisher: 'fire_extinguisher_cabinet_fire_warden_box.jpg',
  sprinkler: 'fire_sprinkler_head_closeup.jpg',
  kitchenHeic: 'kitchen_room_interior_orient6.heic',
  sidewaysPlaque: 'memorial_plaque_text_sideways_orient1.jpg',
  officeHeic: 'office_cubicle_room_iphone8_gps.heic',
  meetingRoom: 'people_meeting_room_iphone5s.jpg',
  productLabel: 'product_label_barcode_serial_text.jpg',
  kodakWall: 'stone_wall_joint_stain_kodak_4608x3456.jpg',
  streetSigns: 'street_signs_text_orient6.webp',
  tiny: 'tiny_59x100_full_exif.jpg',
} as const;

export function readPhoto(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURE_DIR));
}

/** File names of every fixture photo, so that a photo added to the folder is tested too. */
export function listPhotos(): readonly string[] {
  return readdirSync(FIXTURE_DIR).filter((name) => !name.endsWith('.md'));
}
