/**
 * The toy model's mechanism as the manifest records it: per prompt slot, the module outputs that
 * carry it and the DecoderLens depth from which it is heard. toyCheckpoint.ts writes exactly these
 * paths; tests/toy checks them against the running model.
 */
import type { SlotMechanism } from '../bundle/manifest';
import type { Slot } from './concepts';

export const TOY_MECHANISM: Record<Slot, SlotMechanism> = {
  INSTRUMENTS: {
    sites: ['blocks.3.hook_cross_attn_out', 'blocks.4.hook_mlp_out'],
    audibleFromDepth: 5,
    description: 'Layer 3 cross-attention reads the instrument word into an instrument subspace; the layer 4 MLP turns it into the timbre codebook\'s vote (codebook 1). Before depth 5 every clip plays a plain sine.',
  },
  GENRE: {
    sites: ['blocks.0.hook_cross_attn_out', 'blocks.2.hook_mlp_out'],
    audibleFromDepth: 3,
    description: 'Layer 0 cross-attention reads the genre word; the layer 2 MLP votes for its texture code (codebook 3), which sets the phrase, register and backing.',
  },
  MOOD: {
    sites: ['blocks.0.hook_cross_attn_out', 'blocks.1.hook_attn_out', 'blocks.2.hook_mlp_out'],
    audibleFromDepth: 3,
    description: 'Layer 0 cross-attention reads the mood word at the first frame only; a layer 1 self-attention head copies it from the first frame to every frame; the layer 2 MLP votes for its loudness (codebook 2).',
  },
  TEMPO: {
    sites: ['blocks.0.hook_cross_attn_out', 'blocks.0.hook_mlp_out', 'blocks.1.hook_mlp_out', 'blocks.2.hook_mlp_out'],
    audibleFromDepth: 3,
    description: 'Layer 0 cross-attention averages the tempo words\' rates and its MLP picks one of five tempo classes; the layer 1 MLP runs that class\'s onset clock on the positional sinusoid; at each onset the layer 2 MLP moves the melody (codebook 0) to the next phrase step.',
  },
};
