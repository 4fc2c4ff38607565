// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMedchainMembership
/// @author medchain
/// @notice Membership of the medchain consortium as a non-transferable voting token (ERC-20 votes, ERC-5805,
///         timestamp clock per ERC-6372): a member holds exactly one unit, which is one vote in the consortium's
///         Governor. Units cannot be transferred or delegated: a member always votes with its own unit. The
///         founding members are minted once at genesis by the deployment's genesis account; after that, only
///         governance (the consortium's timelock, after a passed proposal) adds or removes members.
/// @dev Votes are always self-delegated (`delegates(account) == account`); `delegate` and `delegateBySig` revert
///      with {MembershipDelegationDisabled}; `transfer` and `transferFrom` revert with
///      {MembershipNonTransferable}. `decimals()` is 0.
interface IMedchainMembership {
    /// @notice Membership units cannot change hands (only mint on joining and burn on leaving).
    error MembershipNonTransferable();

    /// @notice Votes cannot be delegated: every member votes with its own unit.
    error MembershipDelegationDisabled();

    /// @notice `account` is already a member.
    /// @param account The account.
    error MembershipAlreadyMember(address account);

    /// @notice `account` is not a member.
    /// @param account The account.
    error MembershipNotMember(address account);

    /// @notice `caller` is not governance (the timelock given at deployment).
    /// @param caller The account that made the call.
    error MembershipNotGovernance(address caller);

    /// @notice Genesis is over, or `caller` is not the genesis account given at deployment.
    /// @param caller The account that made the call.
    error MembershipGenesisClosed(address caller);

    /// @notice The genesis list is empty, or a member address is zero.
    error MembershipInvalidMembers();

    /// @notice `account` joined the consortium.
    /// @param account The new member.
    event MemberAdded(address indexed account);

    /// @notice `account` left the consortium (removed by governance).
    /// @param account The former member.
    event MemberRemoved(address indexed account);

    /// @notice The founding members were minted; from now on only governance changes the membership.
    /// @param members How many founding members.
    event GenesisCompleted(uint256 members);

    /// @notice Mints the founding members, once, and closes genesis.
    /// @dev Only the genesis account given at deployment, and only once ({MembershipGenesisClosed}); reverts with
    ///      {MembershipInvalidMembers} for an empty list or a zero address and {MembershipAlreadyMember} for a
    ///      duplicate. Emits {MemberAdded} per member and {GenesisCompleted}.
    /// @param members The founding members.
    function genesis(address[] calldata members) external;

    /// @notice Adds a member (one vote from the next second on).
    /// @dev Only governance ({MembershipNotGovernance}); {MembershipInvalidMembers} for the zero address,
    ///      {MembershipAlreadyMember} for a member. Emits {MemberAdded}.
    /// @param account The new member.
    function addMember(address account) external;

    /// @notice Removes a member (its vote no longer counts in proposals whose snapshot is after this block).
    /// @dev Only governance ({MembershipNotGovernance}); {MembershipNotMember} if it is not a member. Emits
    ///      {MemberRemoved}.
    /// @param account The member to remove.
    function removeMember(address account) external;

    /// @notice Tells whether `account` is a member now.
    /// @param account The account.
    /// @return True if it holds a membership unit.
    function isMember(address account) external view returns (bool);

    /// @notice How many members the consortium has now.
    /// @return The member count (the token's total supply).
    function memberCount() external view returns (uint256);

    /// @notice The governance address (the consortium's timelock) that adds and removes members.
    /// @return The timelock's address.
    function governance() external view returns (address);

    /// @notice The account that may mint the founding members, or zero once genesis is over.
    /// @return The genesis account.
    function genesisAccount() external view returns (address);
}
