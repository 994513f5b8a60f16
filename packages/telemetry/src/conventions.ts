export * from '@platform/conventions';
