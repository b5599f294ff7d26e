/** Size and rotation of the primary image of a HEIF file, read from its `meta` box. */
export interface HeifHeader {
  /** Width from the `ispe` property, before the `irot` rotation. */
  readonly width: number;
  readonly height: number;
  /** Anticlockwise rotation in degrees from the `irot` property (0, 90, 180 or 270). */
  readonly rotation: number;
  /** File offset just past the last byte that `iloc` assigns to any item. */
  readonly dataEnd: number;
}

interface Box {
  readonly type: string;
  /** Offset of the payload, after the size and type fields. */
  readonly start: number;
  readonly end: number;
}

const FULL_BOX_HEADER = 4;

function readFourCc(view: DataView, offset: number): string {
  const codes = [0, 1, 2, 3].map((index) => view.getUint8(offset + index));
  return String.fromCharCode(...codes);
}

/** Lists the ISO BMFF boxes between `start` and `end`, stopping at the first box that overruns. */
function listBoxes(view: DataView, start: number, end: number): readonly Box[] {
  const boxes: Box[] = [];
  let offset = start;
  while (offset + 8 <= end) {
    const size32 = view.getUint32(offset);
    const type = readFourCc(view, offset + 4);
    const isLarge = size32 === 1 && offset + 16 <= end;
    const headerSize = isLarge ? 16 : 8;
    const size = isLarge
      ? Number(view.getBigUint64(offset + 8))
      : size32 === 0
        ? end - offset
        : size32;
    if (size < headerSize || offset + size > end) {
      break;
    }

    boxes.push({ type, start: offset + headerSize, end: offset + size });
    offset += size;
  }
  return boxes;
}

function findBox(boxes: readonly Box[], type: string): Box | undefined {
  return boxes.find((box) => box.type === type);
}

function readPrimaryItemId(view: DataView, pitm: Box): number {
  const version = view.getUint8(pitm.start);
  const offset = pitm.start + FULL_BOX_HEADER;
  return version === 0 ? view.getUint16(offset) : view.getUint32(offset);
}

/** Returns the 1-based `ipco` indices of the properties that `ipma` assigns to `itemId`. */
function readPropertyIndices(view: DataView, ipma: Box, itemId: number): readonly number[] {
  const version = view.getUint8(ipma.start);
  const hasWideIndices = (view.getUint8(ipma.start + 3) & 1) === 1;
  const entryCount = view.getUint32(ipma.start + FULL_BOX_HEADER);
  let offset = ipma.start + FULL_BOX_HEADER + 4;
  for (let entry = 0; entry < entryCount && offset < ipma.end; entry += 1) {
    const entryItemId = version < 1 ? view.getUint16(offset) : view.getUint32(offset);
    offset += version < 1 ? 2 : 4;
    const associationCount = view.getUint8(offset);
    offset += 1;

    const indices: number[] = [];
    for (let index = 0; index < associationCount; index += 1) {
      indices.push(hasWideIndices ? view.getUint16(offset) & 0x7fff : view.getUint8(offset) & 0x7f);
      offset += hasWideIndices ? 2 : 1;
    }
    if (entryItemId === itemId) {
      return indices;
    }
  }
  return [];
}

function readSizedUint(view: DataView, offset: number, size: number): number {
  if (size === 0) {
    return 0;
  }
  return size === 4 ? view.getUint32(offset) : Number(view.getBigUint64(offset));
}

/**
 * Returns the end of the furthest extent stored at a file offset (construction method 0) in
 * the `iloc` box (ISO/IEC 14496-12, 8.11.3). libheif-js decodes a HEIC whose tiles are cut
 * off without an error, so this is how a truncated upload is caught.
 */
function readItemDataEnd(view: DataView, iloc: Box): number {
  const version = view.getUint8(iloc.start);
  let offset = iloc.start + FULL_BOX_HEADER;
  const sizes = view.getUint16(offset);
  const [offsetSize, lengthSize, baseOffsetSize] = [
    sizes >> 12,
    (sizes >> 8) & 0xf,
    (sizes >> 4) & 0xf,
  ];
  const indexSize = version === 1 || version === 2 ? sizes & 0xf : 0;
  offset += 2;
  const itemCount = version < 2 ? view.getUint16(offset) : view.getUint32(offset);
  offset += version < 2 ? 2 : 4;

  let dataEnd = 0;
  for (let item = 0; item < itemCount; item += 1) {
    offset += version < 2 ? 2 : 4;
    const constructionMethod = version === 0 ? 0 : view.getUint16(offset) & 0xf;
    offset += (version === 0 ? 0 : 2) + 2;
    const baseOffset = readSizedUint(view, offset, baseOffsetSize);
    offset += baseOffsetSize;
    const extentCount = view.getUint16(offset);
    offset += 2;
    for (let extent = 0; extent < extentCount; extent += 1) {
      offset += indexSize;
      const extentOffset = readSizedUint(view, offset, offsetSize);
      const extentLength = readSizedUint(view, offset + offsetSize, lengthSize);
      offset += offsetSize + lengthSize;
      if (constructionMethod === 0) {
        dataEnd = Math.max(dataEnd, baseOffset + extentOffset + extentLength);
      }
    }
  }
  return dataEnd;
}

/**
 * Reads the primary image's `ispe` size and `irot` rotation (ISO/IEC 23008-12) without
 * decoding any pixels. Returns null when the boxes are missing or malformed.
 */
export function readHeifHeader(bytes: Uint8Array): HeifHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const meta = findBox(listBoxes(view, 0, bytes.length), 'meta');
    if (meta === undefined) {
      return null;
    }

    const metaChildren = listBoxes(view, meta.start + FULL_BOX_HEADER, meta.end);
    const pitm = findBox(metaChildren, 'pitm');
    const iprp = findBox(metaChildren, 'iprp');
    if (pitm === undefined || iprp === undefined) {
      return null;
    }

    const iprpChildren = listBoxes(view, iprp.start, iprp.end);
    const ipco = findBox(iprpChildren, 'ipco');
    const ipma = findBox(iprpChildren, 'ipma');
    if (ipco === undefined || ipma === undefined) {
      return null;
    }

    const properties = listBoxes(view, ipco.start, ipco.end);
    const indices = readPropertyIndices(view, ipma, readPrimaryItemId(view, pitm));
    const assigned = indices
      .map((index) => properties[index - 1])
      .filter((box) => box !== undefined);
    const iloc = findBox(metaChildren, 'iloc');
    const dataEnd = iloc === undefined ? 0 : readItemDataEnd(view, iloc);
    return readSizeAndRotation(view, assigned, dataEnd);
  } catch (error) {
    if (error instanceof RangeError) {
      return null;
    }
    throw error;
  }
}

function readSizeAndRotation(
  view: DataView,
  properties: readonly Box[],
  dataEnd: number,
): HeifHeader | null {
  const ispe = findBox(properties, 'ispe');
  if (ispe === undefined) {
    return null;
  }

  const irot = findBox(properties, 'irot');
  const rotation = irot === undefined ? 0 : (view.getUint8(irot.start) & 0x03) * 90;
  const width = view.getUint32(ispe.start + FULL_BOX_HEADER);
  const height = view.getUint32(ispe.start + FULL_BOX_HEADER + 4);
  return { width, height, rotation, dataEnd };
}
