import type { Random } from './random';

// Words English street names are made of. Combined, they give a thousand or more names that sound ordinary.
const STEMS = [
  'Oak', 'Ash', 'Elm', 'Beech', 'Birch', 'Cedar', 'Hazel', 'Holly', 'Laurel', 'Maple', 'Rowan', 'Willow', 'Yew', 'Chestnut', 'Poplar',
  'Larch', 'Hawthorn', 'Juniper', 'Alder', 'Linden', 'Victoria', 'Albert', 'Nelson', 'Wellington', 'Gladstone', 'Cromwell', 'Raleigh',
  'Drake', 'Grenville', 'Howard', 'Percy', 'Stanley', 'Clarence', 'Windsor', 'Balmoral', 'Sandringham', 'Westminster', 'Cambridge',
  'Oxford', 'Durham', 'Lincoln', 'Warwick', 'Chester', 'Stafford', 'Norfolk', 'Suffolk', 'Devon', 'Dorset', 'Kent', 'Meadow', 'Brook',
  'Orchard', 'Valley', 'Hill', 'Ridge', 'Field', 'Mill', 'Spring', 'Heath', 'Moor', 'Down', 'Fern', 'Bramble', 'Clover', 'Primrose',
  'Bluebell', 'Foxglove', 'Heather', 'Lavender', 'Kingfisher', 'Heron', 'Swallow', 'Lark', 'Wren', 'Robin', 'Falcon', 'Kestrel', 'Plover',
  'Curlew', 'Merlin', 'Osprey', 'Harbour', 'Quay', 'Anchor', 'Beacon', 'Cliff', 'Sands', 'Dune', 'Marsh', 'Ferry', 'Tide', 'Abbey',
  'Priory', 'Chapel', 'Manor', 'Grange', 'Park', 'Castle', 'Tower', 'Gate', 'Wharf', 'Forge', 'Tannery', 'Granary', 'Mariners', 'Coastguard',
  'Salisbury', 'Pembroke', 'Tudor', 'Stuart', 'Hanover', 'Regent', 'Coronation', 'Jubilee', 'Trafalgar', 'Waterloo', 'Blenheim',
  'Richmond', 'Kingston', 'Ashford', 'Beaufort', 'Somerset', 'Cavendish', 'Russell', 'Bedford', 'Spencer', 'Fairfax', 'Marlborough',
] as const;
const SUFFIXES = ['Road', 'Street', 'Avenue', 'Lane', 'Close', 'Crescent', 'Drive', 'Gardens', 'Grove', 'Place', 'Way', 'Terrace', 'Court', 'Walk', 'Rise', 'View', 'Mews'] as const;
/** Suffixes for cul-de-sacs and curved streets, which are rarely "Road" or "Street". */
export const CLOSE_SUFFIXES = ['Close', 'Court', 'Mews', 'Gardens', 'Place', 'Walk'] as const;
export const CURVE_SUFFIXES = ['Crescent', 'Drive', 'Way', 'Rise', 'Grove'] as const;
export const THROUGH_SUFFIXES = ['Road', 'Street', 'Avenue', 'Lane', 'Terrace', 'Grove', 'Way'] as const;

/** Street names of an old town centre, each used once. */
export const CENTRE_STREETS = [
  'Market Street', 'Church Street', 'Bridge Street', 'Castle Street', 'King Street', 'Queen Street', 'Quay Street', 'North Street',
  'South Street', 'West Street', 'Fore Street', 'Silver Street', 'Sheep Street', 'Union Street', 'George Street', 'Chapel Street',
  'Mill Street', 'New Street', 'Broad Street', 'Friars Walk', 'Tanners Lane', 'Cornmarket', 'Butchers Row', 'Guildhall Square',
] as const;

/** Names every village has: these make the same street name appear in several places, as in real life. */
export const VILLAGE_STREETS = ['High Street', 'Church Lane', 'Mill Lane', 'School Road', 'The Green', 'Station Road', 'Manor Road', 'Chapel Lane', 'Back Lane', 'Orchard Close'] as const;

export const PUB_NAMES = [
  'The Red Lion', 'The Crown', 'The Ship', 'The Anchor', 'The Royal Oak', 'The White Hart', 'The George', 'The Plough', 'The Fox and Hounds',
  "The King's Head", 'The Bell', 'The Swan', "The Fisherman's Arms", 'The Lord Nelson', 'The Black Horse', 'The Rose and Crown', 'The Globe',
  'The Mermaid', 'The Jolly Sailor', 'The Star',
] as const;

export const CHURCHES = ["St Mary's Church", "St Peter's Church", "St Andrew's Church", 'Methodist Church', 'Baptist Chapel', "St Michael's Church"] as const;

/** Makes unique street names from stems and suffixes, never handing out the same name twice. */
export class StreetNamer {
  private readonly used = new Set<string>();

  constructor(private readonly random: Random) {}

  /** Marks a name as taken (a centre street, a main road), so the namer never gives it again. */
  reserve(name: string): void {
    this.used.add(name);
  }

  next(suffixes: readonly string[] = SUFFIXES): string {
    for (let attempt = 0; attempt < 400; attempt++) {
      const name = `${this.random.pick(STEMS)} ${this.random.pick(suffixes)}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    // Every short combination taken: qualify one, as real towns do ("Upper Oak Road").
    for (const prefix of ['Upper', 'Lower', 'North', 'South', 'East', 'West', 'Little', 'Great', 'Old', 'New']) {
      const name = `${prefix} ${this.random.pick(STEMS)} ${this.random.pick(suffixes)}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
    throw new Error('ran out of street names');
  }
}
