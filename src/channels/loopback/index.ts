export { LoopbackChannel } from './loopback-channel';
export type { LoopbackChannelOptions, SendResult } from './loopback-channel';
