import { NotFoundError, SagaSyncError } from '@sagasync/core';

/**
 * The directory's expected failures, built in one place so every adapter fails with the same code,
 * message and location. None of them quotes a hash or a ciphertext.
 */
export const directoryErrors = {
  /** A write that hangs off a user whose id is unknown. */
  userNotFound(userId: string, location = 'userId'): SagaSyncError {
    const error = new NotFoundError('user', userId);
    return new SagaSyncError('not_found', error.message, { details: { ...error.details, location } });
  },
  userIdTaken(userId: string): SagaSyncError {
    return new SagaSyncError('already_exists', `a user with id ${userId} exists already`, { details: { location: 'user.id', entity: 'user', key: userId } });
  },
  userNameTaken(name: string): SagaSyncError {
    return new SagaSyncError('already_exists', `the user name ${name} is taken`, { details: { location: 'user.name', entity: 'user', key: name } });
  },
  /** A create-only write (a sign-in) whose id is used. */
  idTaken(entity: string, id: string, location: string): SagaSyncError {
    return new SagaSyncError('already_exists', `${entity} ${id} exists already`, { details: { location, entity, key: id } });
  },
  /** A put whose id is another user's record: ids are global, and a record never changes hands. */
  idOfAnotherUser(entity: string, id: string, location: string): SagaSyncError {
    return new SagaSyncError('already_exists', `${entity} ${id} belongs to another user`, { details: { location, entity, key: id } });
  },
  tokenHashTaken(): SagaSyncError {
    return new SagaSyncError('already_exists', 'another API token has the same hash', { details: { location: 'token.hash', entity: 'api token' } });
  },
};
